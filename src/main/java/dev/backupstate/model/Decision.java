package dev.backupstate.model;

import java.util.List;

/**
 * What the rules concluded about one event. Rejected when any rule refused it: then {@code reason} is
 * the first refusal in {@link Reason} order, every refusal is listed, and nothing changes. Accepted
 * otherwise, naming the accepting rule, with the transitions and commands to carry out.
 * {@code rulesFired} names every rule that fired, for the audit trail and for scenario coverage.
 */
public record Decision(boolean accepted, Reason reason, String rule, String message, List<Ruling> rulings,
                       List<Transition> transitions, List<Command> commands, List<String> notes,
                       List<String> rulesFired) {

    /** One rule's word on the event: the rule's name, and the refusal's reason (null for an acceptance). */
    public record Ruling(String rule, Reason reason, String message) {
    }

    public Decision {
        rulings = List.copyOf(rulings);
        transitions = List.copyOf(transitions);
        commands = List.copyOf(commands);
        notes = List.copyOf(notes);
        rulesFired = List.copyOf(rulesFired);
    }

    /** The same decision with its commands completed ({@link Command#complete}). */
    public Decision completed(Command.Lookup lookup) {
        if (commands.isEmpty()) {
            return this;
        }
        return new Decision(accepted, reason, rule, message, rulings, transitions,
                commands.stream().map(command -> command.complete(lookup)).toList(), notes, rulesFired);
    }

    @Override
    public String toString() {
        return (accepted ? "accepted" : "rejected " + reason) + " by \"" + rule + "\": " + message;
    }
}
