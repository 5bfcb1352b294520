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

    /**
     * {@code admin}: the caller may see every rule that fired; anyone else sees the decision's own words
     * (every refusal of it: they speak only of what the caller may see, hidden things being missing).
     */
    static DryRun of(Decision decision, boolean admin) {
        return new DryRun(true, decision.accepted(), decision.code(),
                decision.rule(), decision.message(), decision.refusals(), admin ? decision.rulesFired() : List.of(),
                decision.transitions().stream().map(Transition::toString).toList(),
                decision.commands().stream().map(dev.backupstate.model.Command::text).toList(), decision.notes(), decision.generation());
    }
}
