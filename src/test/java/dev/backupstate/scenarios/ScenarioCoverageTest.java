package dev.backupstate.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.Decision;
import dev.backupstate.model.Reason;
import dev.backupstate.rules.RuleBook;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scenarios are the rules' specification: every reason code must be produced by one, every rule
 * must fire in one, and every rule that refuses must have a scenario where the same kind of event is
 * accepted.
 */
class ScenarioCoverageTest {

    private static RuleBook rules;
    private static final List<ScenarioResult> RESULTS = new ArrayList<>();

    @BeforeAll
    static void runEveryScenario() throws IOException {
        rules = RuleBook.load(ScenarioTest.RULES);
        ScenarioRunner runner = new ScenarioRunner(rules);
        for (Path file : ScenarioFiles.in(ScenarioTest.RULES.resolve("scenarios"))) {
            ScenarioFiles.read(file).forEach(scenario -> RESULTS.add(runner.run(scenario)));
        }
    }

    @AfterAll
    static void closeRules() {
        rules.close();
    }

    @Test
    void every_reason_code_is_produced_by_a_scenario() {
        Set<Reason> produced = EnumSet.noneOf(Reason.class);
        for (ScenarioResult result : RESULTS) {
            if (result.decision() != null && !result.decision().accepted()) {
                produced.add(result.decision().reason());
            }
        }
        // RULE_ERROR is the rule book's, for a rule that throws, and DECLARED stands for the codes ops staff
        // declare in reasons.yaml (the project declares none): RulesInForceIT produces both
        produced.add(Reason.RULE_ERROR);
        produced.add(Reason.DECLARED);
        assertThat(EnumSet.complementOf(EnumSet.copyOf(produced))).as("reasons no scenario produces").isEmpty();
    }

    @Test
    void every_rule_fires_in_some_scenario() {
        Set<String> fired = new HashSet<>();
        RESULTS.stream().filter(r -> r.decision() != null).forEach(r -> fired.addAll(r.decision().rulesFired()));
        Set<String> silent = new TreeSet<>(rules.ruleNames());
        silent.removeAll(fired);
        assertThat(silent).as("rules no scenario fires").isEmpty();
    }

    @Test
    void every_refusing_rule_has_an_accepted_scenario_of_the_same_kind() {
        Map<String, Set<String>> kindsRefusedByRule = new HashMap<>();
        Set<String> acceptedKinds = new HashSet<>();
        for (ScenarioResult result : RESULTS) {
            Decision decision = result.decision();
            if (decision == null) {
                continue;
            }
            String kind = result.scenario().when().event().operation();
            if (decision.accepted()) {
                acceptedKinds.add(kind);
            } else {
                decision.rulings().forEach(ruling ->
                        kindsRefusedByRule.computeIfAbsent(ruling.rule(), r -> new TreeSet<>()).add(kind));
            }
        }
        Set<String> unpaired = new TreeSet<>();
        kindsRefusedByRule.forEach((rule, kinds) -> kinds.stream().filter(k -> !acceptedKinds.contains(k))
                .forEach(k -> unpaired.add(rule + " (" + k + ")")));
        assertThat(unpaired).as("refusals with no accepted scenario of the same event kind").isEmpty();
    }

    @Test
    void every_scenario_file_accepts_and_rejects() throws IOException {
        for (Path file : ScenarioFiles.in(ScenarioTest.RULES.resolve("scenarios"))) {
            List<ScenarioResult> ofFile = RESULTS.stream()
                    .filter(r -> r.scenario().file().equals(file.getFileName().toString())).toList();
            assertThat(ofFile).as(file + " accepts something")
                    .anyMatch(r -> r.decision() != null && r.decision().accepted());
            assertThat(ofFile).as(file + " rejects something")
                    .anyMatch(r -> r.decision() != null && !r.decision().accepted());
        }
    }
}
