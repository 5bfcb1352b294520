package dev.backupstate.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.rules.RuleBook;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every scenario of rules/scenarios against the rules of rules/: one test per scenario, one group per file. */
class ScenarioTest {

    static final Path RULES = Path.of("rules");
    private static RuleBook rules;

    @BeforeAll
    static void loadRules() {
        rules = RuleBook.load(RULES);
    }

    @AfterAll
    static void closeRules() {
        rules.close();
    }

    @TestFactory
    Stream<DynamicNode> every_scenario_file_passes() throws IOException {
        ScenarioRunner runner = new ScenarioRunner(rules);
        return ScenarioFiles.in(RULES.resolve("scenarios")).stream().map(file -> DynamicContainer.dynamicContainer(
                file.getFileName().toString(), ScenarioFiles.read(file).stream().map(scenario ->
                        DynamicTest.dynamicTest(scenario.name(), () -> {
                            ScenarioResult result = runner.run(scenario);
                            assertThat(result.differences()).as(scenario.file() + ": " + scenario.name()).isEmpty();
                        }))));
    }
}
