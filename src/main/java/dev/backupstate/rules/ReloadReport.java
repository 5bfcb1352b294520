package dev.backupstate.rules;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one attempt to (re)load the rules directory: accepted (and now in force) or refused
 * with the compiler's problems, and how long compiling and swapping took.
 */
public record ReloadReport(long generation, Instant at, boolean accepted, List<String> files,
                           List<RuleProblem> problems, long compileMillis, long swapMicros) {

    public ReloadReport {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
    }

    @Override
    public String toString() {
        return accepted
                ? "rules generation " + generation + " in force: " + files.size() + " files compiled in "
                        + compileMillis + " ms, swapped in " + swapMicros + " us"
                : "rules refused (" + problems.size() + " problems), generation " + generation
                        + " stays in force: " + problems;
    }
}
