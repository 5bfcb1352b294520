package dev.backupstate.scenarios;

import dev.backupstate.engine.FactLoader;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Command;
import dev.backupstate.model.CredentialGrant;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Transition;
import dev.backupstate.rules.RuleBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Runs scenarios against a rule book: builds each world, loads the event's facts, compares the decision. */
public final class ScenarioRunner {

    private final RuleBook rules;

    public ScenarioRunner(RuleBook rules) {
        this.rules = rules;
    }

    public ScenarioResult run(Scenario scenario) {
        if (scenario.problem() != null) {
            return new ScenarioResult(scenario, null, List.of("cannot read the scenario: " + scenario.problem()));
        }
        InMemoryCatalog world = new InMemoryCatalog();
        world.putAll(scenario.given());
        java.util.Map<String, CredentialGrant> grants = new java.util.HashMap<>();
        scenario.credentials().forEach(grant -> grants.put(grant.name(), grant));
        FactLoader loader = new FactLoader(world, scenario.mode(),
                name -> grants.getOrDefault(name, CredentialGrant.adminsOnly(name)), scenario.quotas());
        Decision decision;
        try {
            List<Object> facts = loader.factsFor(scenario.when());
            decision = rules.evaluate(facts).withFacts(facts);
        } catch (RuntimeException e) {
            return new ScenarioResult(scenario, null, List.of("the rules failed: " + e.getMessage()));
        }
        return new ScenarioResult(scenario, decision, differences(scenario.then(), decision));
    }

    static List<String> differences(Expectation expected, Decision actual) {
        List<String> differences = new ArrayList<>();
        if (expected.accepted() != actual.accepted() || !Objects.equals(expected.reason(), actual.code())) {
            differences.add("expected " + verdict(expected.accepted(), expected.reason()) + ", got "
                    + verdict(actual.accepted(), actual.code()) + " by \"" + actual.rule() + "\": " + actual.message());
        }
        if (expected.rule() != null && !expected.rule().equals(actual.rule())) {
            differences.add("expected the rule \"" + expected.rule() + "\", got \"" + actual.rule() + "\"");
        }
        if (expected.message() != null && (actual.message() == null || !actual.message().contains(expected.message()))) {
            differences.add("expected a message containing \"" + expected.message() + "\", got \"" + actual.message() + "\"");
        }
        compare("transitions", expected.transitions(), actual.transitions().stream().map(Transition::toString).toList(),
                differences);
        compare("commands", expected.commands(), actual.commands().stream().map(Command::toString).toList(), differences);
        if (expected.notes() != null) {
            for (String note : expected.notes()) {
                if (actual.notes().stream().noneMatch(n -> n.contains(note))) {
                    differences.add("expected a note containing \"" + note + "\", got " + actual.notes());
                }
            }
        }
        return differences;
    }

    private static void compare(String what, List<String> expected, List<String> actual, List<String> differences) {
        if (expected == null) {
            return;
        }
        // Compared as multisets: a transition or command made twice is a difference too.
        List<String> missing = new ArrayList<>(expected);
        List<String> unexpected = new ArrayList<>();
        for (String made : actual) {
            if (!missing.remove(made)) {
                unexpected.add(made);
            }
        }
        missing.stream().sorted().forEach(m -> differences.add(what + ": expected, missing: " + m));
        unexpected.stream().sorted().forEach(u -> differences.add(what + ": not expected, got: " + u));
    }

    private static String verdict(boolean accepted, Object reason) {
        return accepted ? "accepted" : "rejected " + reason;
    }
}
