package dev.backupstate.rules;

import dev.backupstate.model.Acceptance;
import dev.backupstate.model.AuditNote;
import dev.backupstate.model.Command;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Decision.Ruling;
import dev.backupstate.model.Reason;
import dev.backupstate.model.Rejection;
import dev.backupstate.model.Transition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.runtime.KieSession;

/**
 * Listens to one evaluation and turns what its rules inserted into a {@link Decision}. Rules insert
 * plain decision facts; this collector records which rule inserted each, so a DRL author never
 * writes a rule's name twice. Any refusal rejects the event; otherwise an acceptance accepts it.
 */
final class DecisionCollector {

    private final List<Ruling> acceptances = new ArrayList<>();
    private final List<Ruling> refusals = new ArrayList<>();
    private final List<Transition> transitions = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> firings = new LinkedHashMap<>();
    private final Facts facts = new Facts();
    private final Firings firingCounter = new Firings();

    void attach(KieSession session) {
        session.addEventListener(facts);
        session.addEventListener(firingCounter);
    }

    void detach(KieSession session) {
        session.removeEventListener(facts);
        session.removeEventListener(firingCounter);
    }

    /** The rules that fired most, for the runaway report. */
    String busiestRules() {
        StringBuilder top = new StringBuilder();
        firings.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                .forEach(e -> top.append(top.length() == 0 ? "" : ", ")
                        .append('"').append(e.getKey()).append("\" ").append(e.getValue()).append('x'));
        return top.toString();
    }

    Decision decision() {
        if (!refusals.isEmpty()) {
            refusals.sort(Comparator.comparing(Ruling::reason));
            Ruling first = refusals.get(0);
            return new Decision(false, first.reason(), first.rule(), first.message(), refusals, List.of(), List.of(),
                    List.of(), fired());
        }
        if (acceptances.isEmpty()) {
            // Only reachable when the catch-all rule was removed from the rules directory.
            return new Decision(false, Reason.ILLEGAL_TRANSITION, "(no rule decided)",
                    "no rule accepted or refused this event", List.of(), List.of(), List.of(), List.of(), fired());
        }
        Ruling first = acceptances.get(0);
        return new Decision(true, null, first.rule(), first.message(), acceptances, transitions, commands, notes,
                fired());
    }

    private List<String> fired() {
        return List.copyOf(firings.keySet());
    }

    private final class Facts extends DefaultRuleRuntimeEventListener {
        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            if (event.getRule() == null) {
                return; // a fact the loader inserted, not a rule's conclusion
            }
            String rule = event.getRule().getName();
            Object fact = event.getObject();
            if (fact instanceof Rejection) {
                Rejection refusal = (Rejection) fact;
                refusals.add(new Ruling(rule, refusal.reason(), refusal.message(), refusal.code()));
            } else if (fact instanceof Acceptance) {
                acceptances.add(new Ruling(rule, null, ((Acceptance) fact).message()));
            } else if (fact instanceof Transition) {
                transitions.add((Transition) fact);
            } else if (fact instanceof Command) {
                commands.add((Command) fact);
            } else if (fact instanceof AuditNote) {
                notes.add(((AuditNote) fact).text());
            }
        }

        @Override
        public void objectDeleted(ObjectDeletedEvent event) {
            // A rule that retracts a conclusion takes it back.
            Object fact = event.getOldObject();
            transitions.remove(fact);
            commands.remove(fact);
        }
    }

    private final class Firings extends DefaultAgendaEventListener {
        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            firings.merge(event.getMatch().getRule().getName(), 1, Integer::sum);
        }
    }
}
