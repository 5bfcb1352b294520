package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's settings: a key or BSE_* variable that is not a setting, or a retired one, stops the start
 * with its name and the nearest real setting; {@code bse config check} shows what the engine would run with.
 */
class SettingsTest {

    private static final Path SHIPPED = Path.of("config/application.properties");

    @TempDir
    Path dir;

    /** The shipped file with {@code more} lines after it, as an operator edits it. */
    private Path file(String more) throws IOException {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, Files.readString(SHIPPED) + "\n" + more + "\n");
        return file;
    }

    @Test
    void should_load_the_projects_own_configuration_with_where_each_value_came_from() {
        // when
        Settings settings = Settings.load(SHIPPED, Map.of("bse.mode", "Federated"), Map.of("BSE_INBOX_DIRECTORY", "/var/inbox"));

        // then
        assertThat(settings.get("bse.clusters.unseen-report-seconds")).isEqualTo("60");
        assertThat(settings.source("bse.clusters.unseen-report-seconds")).isEqualTo(SHIPPED.toString());
        assertThat(settings.get("bse.inbox.directory")).isEqualTo("/var/inbox");
        assertThat(settings.source("bse.inbox.directory")).isEqualTo("environment BSE_INBOX_DIRECTORY");
        assertThat(settings.source("bse.mode")).isEqualTo("override");
    }

    @Test
    void should_refuse_a_typo_in_the_file_naming_the_nearest_setting() throws IOException {
        Path file = file("bse.clusters.unseen-report-second = 30");

        assertThatThrownBy(() -> Settings.load(file, Map.of(), Map.of()))
                .hasMessage("configuration key bse.clusters.unseen-report-second is not a setting "
                        + "(did you mean bse.clusters.unseen-report-seconds?)");
    }

    @Test
    void should_refuse_a_variable_that_is_no_setting_naming_the_nearest() {
        assertThatThrownBy(() -> Settings.load(SHIPPED, Map.of(), Map.of("BSE_USERS_OPERATOR", "dev")))
                .hasMessage("environment variable BSE_USERS_OPERATOR is not a setting (did you mean BSE_USERS_OPERATORS?)");
    }

    @Test
    void should_take_a_declared_sinks_settings_from_the_environment_and_refuse_a_misspelt_one() {
        // given a sink declared and set in the environment alone
        Map<String, String> environment = Map.of("BSE_NOTIFY_SINKS", "team-slack", "BSE_NOTIFY_TEAM_SLACK_TYPE", "slack",
                "BSE_NOTIFY_TEAM_SLACK_URL", "https://hooks.slack.com/services/T000/B000/XXXX");

        // when
        Settings settings = Settings.load(SHIPPED, Map.of(), environment);

        // then
        assertThat(settings.get("bse.notify.team-slack.url")).isEqualTo("https://hooks.slack.com/services/T000/B000/XXXX");
        assertThat(settings.source("bse.notify.team-slack.type")).isEqualTo("environment BSE_NOTIFY_TEAM_SLACK_TYPE");
        assertThatThrownBy(() -> Settings.load(SHIPPED, Map.of("bse.notify.sinks", "team-slack", "bse.notify.team-slak.url", "x"), Map.of()))
                .hasMessageContaining("configuration key bse.notify.team-slak.url is not a setting (did you mean bse.notify.team-slack.url?)");
    }

    @Test
    void should_accept_credentials_of_any_name_and_the_command_lines_own_variables() throws IOException {
        Path file = file("bse.credentials.team-a = AKIA:secret");

        Settings settings = Settings.load(file, Map.of(), Map.of("BSE_SERVER", "http://127.0.0.1:8080", "BSE_TOKEN", "t",
                "BSE_CREDENTIALS_TEAM_B", "AKIB:secret"));

        assertThat(settings.get("bse.credentials.team-a")).isEqualTo("AKIA:secret");
    }

    @Test
    void should_refuse_a_retired_setting_naming_the_rule_that_holds_it_now() throws IOException {
        Path file = file("bse.clusters.silence-limit-seconds = 30");

        assertThatThrownBy(() -> Settings.load(file, Map.of(), Map.of()))
                .hasMessageContaining("bse.clusters.silence-limit-seconds is no longer a setting")
                .hasMessageContaining("silenceLimitSeconds() in rules/backups.drl");
        assertThatThrownBy(() -> Settings.load(SHIPPED, Map.of("bse.clusters.sync-wait-seconds", "120"), Map.of()))
                .hasMessageContaining("syncLimitSeconds() in rules/sync.drl");
    }

    @Test
    void should_set_only_real_settings_in_the_docker_files() throws IOException {
        // given every BSE_* variable docker/'s files set
        Map<String, String> environment = new java.util.HashMap<>();
        Pattern set = Pattern.compile("(?m)^\\s*(?:-\\s*name:\\s*)?(BSE_[A-Z0-9_]+)\\s*[:=]");
        try (var files = Files.list(Path.of("docker"))) {
            for (Path file : files.filter(f -> !Files.isDirectory(f)).toList()) {
                Matcher found = set.matcher(Files.readString(file));
                while (found.find()) {
                    environment.put(found.group(1), "x");
                }
            }
        }
        assertThat(new TreeSet<>(environment.keySet())).contains("BSE_TOKENS", "BSE_USERS_ADMINS", "BSE_DATABASE_URL");

        // when / then
        assertThat(KnownSettings.shipped().unknown(java.util.List.of(), environment, "")).isEmpty();
    }

    @Test
    void should_print_the_settings_with_their_sources_and_secrets_masked() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int status = Bse.configCheck(SHIPPED, Map.of("BSE_NOTIFY_SINKS", "hook", "BSE_NOTIFY_HOOK_TYPE", "slack",
                "BSE_NOTIFY_HOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXX"), new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(output).contains("bse.mode = Federated    (" + SHIPPED + ")", "bse.notify.sinks = hook    (environment BSE_NOTIFY_SINKS)",
                "bse.tokens = (not shown)", "bse.credentials.sandbox-credentials = (not shown)", "bse.notify.hook.url = (not shown)");
        assertThat(output).doesNotContain("XXXX", "sandbox-secret", "4f9814083bb8");
    }

    @Test
    void should_refuse_in_config_check_what_the_start_would_refuse() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int status = Bse.configCheck(SHIPPED, Map.of("BSE_MODEE", "Federated"), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("SETTINGS REFUSED: environment variable BSE_MODEE is not a setting (did you mean BSE_MODE?)");
    }
}
