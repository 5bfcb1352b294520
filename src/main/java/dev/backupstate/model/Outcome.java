package dev.backupstate.model;

import java.util.List;

/**
 * What every operation document gets back, through whichever inbox it came (DESIGN.md "Operation
 * documents"): accepted or the reason it was not, the rule that decided, and the transitions made.
 */
public record Outcome(String requestId, boolean accepted, String reason, String message, String rule,
                      List<String> transitions) {

    public Outcome {
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
    }

    public static Outcome of(String requestId, Decision decision) {
        return new Outcome(requestId, decision.accepted(), decision.reason() == null ? null : decision.reason().name(),
                decision.message(), decision.rule(), decision.transitions().stream().map(Transition::toString).toList());
    }
}
