package dev.backupstate.rules;

/** One compiler complaint about a rule file: which file, which line, what the compiler said. */
public record RuleProblem(String file, int line, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
