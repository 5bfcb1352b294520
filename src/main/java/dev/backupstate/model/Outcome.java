package dev.backupstate.model;

import java.util.List;

/**
 * What every operation document gets back, through whichever inbox it came (DESIGN.md "Operation
 * documents"): accepted or the reason it was not, the rule that decided, the transitions made, every
 * refusal when rules refused (reason order: the first is {@code reason}), and the generation of the
 * rules that decided (0 when no rule did: a malformed document, an unknown user), and {@code uid}, the
 * identity of the resource the request was about (absent when there is none the caller may see).
 */
public record Outcome(String requestId, boolean accepted, String reason, String message, String rule,
                      List<String> transitions, List<Refusal> refusals, long generation,
                      String uid) {

    /** One rule's refusal. */
    public record Refusal(String reason, String rule, String message) {
    }

    public Outcome {
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
        refusals = refusals == null ? List.of() : List.copyOf(refusals);
    }

    /** An outcome no rule decided. */
    public Outcome(String requestId, boolean accepted, String reason, String message, String rule, List<String> transitions) {
        this(requestId, accepted, reason, message, rule, transitions, List.of(), 0, null);
    }

    public static Outcome of(String requestId, Decision decision) {
        return new Outcome(requestId, decision.accepted(), decision.code(),
                decision.message(), decision.rule(), decision.transitions().stream().map(Transition::toString).toList(),
                decision.refusals().stream().map(r -> new Refusal(r.code(), r.rule(), r.message())).toList(),
                decision.generation(), decision.subjectUid());
    }
}
