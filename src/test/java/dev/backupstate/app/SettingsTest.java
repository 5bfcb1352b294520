package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's settings: a setting that was retired is refused, naming where what it set went. */
class SettingsTest {

    @Test
    void should_refuse_a_retired_setting_in_the_file_naming_the_rule_that_holds_it_now(@TempDir Path dir) throws IOException {
        // given a configuration an operator kept from before the silence limit moved into the rules
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "bse.clusters.follow-period-millis = 2000\nbse.clusters.silence-limit-seconds = 30\n");

        // when / then
        assertThatThrownBy(() -> Settings.load(file, Map.of()))
                .hasMessageContaining("bse.clusters.silence-limit-seconds is no longer a setting")
                .hasMessageContaining("silenceLimitSeconds() in rules/backups.drl");
    }

    @Test
    void should_refuse_a_retired_setting_given_as_an_override(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "bse.clusters.follow-period-millis = 2000\n");

        assertThatThrownBy(() -> Settings.load(file, Map.of("bse.clusters.sync-wait-seconds", "120")))
                .hasMessageContaining("bse.clusters.sync-wait-seconds is no longer a setting")
                .hasMessageContaining("syncLimitSeconds() in rules/sync.drl");
    }

    @Test
    void should_load_the_projects_own_configuration() {
        Settings settings = Settings.load(Path.of("config/application.properties"), Map.of());

        assertThat(settings.get("bse.clusters.unseen-report-seconds")).isEqualTo("60");
    }
}
