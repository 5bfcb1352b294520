package dev.backupstate.scenarios;

import dev.backupstate.model.Decision;
import java.util.List;

/** A scenario's run: passed, or the differences between what it expected and what the rules decided. */
public record ScenarioResult(Scenario scenario, Decision decision, List<String> differences) {

    public boolean passed() {
        return differences.isEmpty();
    }
}
