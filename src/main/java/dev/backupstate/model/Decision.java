package dev.backupstate.model;

import java.util.List;

/**
 * What the rules concluded about one event. Rejected when any rule refused it: then {@code reason} is
 * the first refusal in {@link Reason} order, every refusal is listed, and nothing changes. Accepted
 * otherwise, naming the accepting rule, with the transitions and commands to carry out.
 * {@code rulesFired} names every rule that fired, for the audit trail and for scenario coverage;
 * {@code generation} is the generation of the rules that decided (0: not decided by the rule book);
 * {@code facts} are the facts the rules were given, kept in the audit record so that the event can be
 * decided again as it was (replay; empty when not kept).
 */
public record Decision(boolean accepted, Reason reason, String rule, String message, List<Ruling> rulings,
                       List<Transition> transitions, List<Command> commands, List<String> notes,
                       List<String> rulesFired, long generation, List<Object> facts, String subjectUid) {

    /**
     * One rule's word on the event: the rule's name, and the refusal's reason (null for an acceptance)
     * with its code (the reason's name, or a code declared in rules/reasons.yaml).
     */
    public record Ruling(String rule, Reason reason, String message, String code) {

        public Ruling(String rule, Reason reason, String message) {
            this(rule, reason, message, reason == null ? null : reason.name());
        }

        public Ruling {
            if (code == null && reason != null) {
                code = reason.name();
            }
        }
    }

    /** The outcome's reason code: the first refusal's (a declared code for {@link Reason#DECLARED}); null when accepted. */
    public String code() {
        if (accepted || reason == null) {
            return null;
        }
        return rulings.stream().filter(r -> r.reason() == reason).map(Ruling::code).findFirst().orElse(reason.name());
    }

    public Decision(boolean accepted, Reason reason, String rule, String message, List<Ruling> rulings,
                    List<Transition> transitions, List<Command> commands, List<String> notes, List<String> rulesFired) {
        this(accepted, reason, rule, message, rulings, transitions, commands, notes, rulesFired, 0, List.of(), null);
    }

    public Decision {
        rulings = List.copyOf(rulings);
        transitions = List.copyOf(transitions);
        commands = List.copyOf(commands);
        notes = List.copyOf(notes);
        rulesFired = List.copyOf(rulesFired);
        facts = facts == null ? List.of() : List.copyOf(facts);
    }

    /** The same decision, as decided by the rules of {@code generation}. */
    public Decision withGeneration(long generation) {
        return new Decision(accepted, reason, rule, message, rulings, transitions, commands, notes, rulesFired, generation, facts, subjectUid);
    }

    /** The same decision, with the facts it was made on (for its audit record). */
    public Decision withFacts(List<Object> given) {
        return new Decision(accepted, reason, rule, message, rulings, transitions, commands, notes, rulesFired, generation, given, subjectUid);
    }

    /**
     * The same decision with the identities the decision loop gave: its transitions' (a created
     * resource's new uid, a changed one's kept) and its subject's (null when the subject does not exist
     * for the caller).
     */
    public Decision identified(List<Transition> identifiedTransitions, String subject) {
        return new Decision(accepted, reason, rule, message, rulings, identifiedTransitions, commands, notes, rulesFired,
                generation, facts, subject);
    }

    /** Every refusal, in reason order (none when accepted). */
    public List<Ruling> refusals() {
        return rulings.stream().filter(ruling -> ruling.reason() != null).toList();
    }

    /** The same decision with its commands completed ({@link Command#complete}). */
    public Decision completed(Command.Lookup lookup) {
        if (commands.isEmpty()) {
            return this;
        }
        return new Decision(accepted, reason, rule, message, rulings, transitions,
                commands.stream().map(command -> command.complete(lookup)).toList(), notes, rulesFired, generation, facts, subjectUid);
    }

    @Override
    public String toString() {
        return (accepted ? "accepted" : "rejected " + reason) + " by \"" + rule + "\": " + message;
    }
}
