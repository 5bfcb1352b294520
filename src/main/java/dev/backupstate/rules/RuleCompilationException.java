package dev.backupstate.rules;

import java.util.List;
import java.util.stream.Collectors;

/** The rules directory did not compile; the rules in force stay in force. */
public class RuleCompilationException extends RuntimeException {

    private final List<RuleProblem> problems;

    public RuleCompilationException(List<RuleProblem> problems) {
        super("rules refused: " + problems.stream().map(RuleProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
