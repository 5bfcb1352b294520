package dev.backupstate.inbox;

import dev.backupstate.model.Command;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Transition;
import java.util.List;

/**
 * What a dry run answers (issue 13): the whole decision the rules in force would make now — every
 * refusal, the rules that fired, the transitions and commands that would follow, the generation —
 * with nothing committed and nothing carried out.
 */
public record DryRun(boolean dryRun, boolean accepted, String reason, String rule, String message,
                     List<Decision.Ruling> refusals, List<String> rulesFired, List<String> transitions,
                     List<String> commands, List<String> notes, long generation) {

    static DryRun of(Decision decision) {
        return new DryRun(true, decision.accepted(), decision.code(),
                decision.rule(), decision.message(), decision.refusals(), decision.rulesFired(),
                decision.transitions().stream().map(Transition::toString).toList(),
                decision.commands().stream().map(DryRun::text).toList(), decision.notes(), decision.generation());
    }

    /** The command in words, without a kubeconfig the document carried (it is the sender's, but need not echo). */
    private static String text(Command command) {
        StringBuilder text = new StringBuilder(command.type().name()).append(' ').append(command.target());
        command.args().forEach((name, value) -> text.append(' ').append(name).append('=')
                .append(name.toLowerCase(java.util.Locale.ROOT).contains("kubeconfig") ? "(not shown)" : value));
        return text.toString();
    }
}
