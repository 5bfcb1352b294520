package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.testing.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bse send} against the engine's own Artemis with authentication: what it prints, and its exit codes as the README's table has them. */
class SendToBrokerIT {

    @TempDir
    Path work;
    @TempDir
    Path here;
    private TestEngine engine;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws Exception {
        engine = TestEngine.start(work);
        Files.writeString(here.resolve("loc.yaml"), """
                kind: CreateBackupLocation
                metadata: {requestId: send-1}
                spec: {name: l1, endpoint: "http://minio:9000", bucket: nightly, credentials: sandbox-credentials}
                """);
        Files.writeString(here.resolve("delete.yaml"), """
                kind: DeleteBackup
                metadata: {requestId: send-2}
                spec: {backup: nowhere}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private int send(String user, String token, String... files) {
        Settings settings = Settings.load(Path.of("config/application.properties"), Map.of("bse.broker.url", engine.brokerUrl()), Map.of());
        return SendToBroker.send(settings, user, token, here, List.of(files), out);
    }

    @Test
    void should_print_each_outcome_under_the_name_given_and_exit_0_when_accepted() {
        int status = send("admin", "sandbox-admin-token", "loc.yaml");

        assertThat(status).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("loc.yaml: {").contains("\"accepted\":true")
                .doesNotContain(here.toString());
    }

    @Test
    void should_exit_1_when_the_rules_refuse_one() {
        int status = send("admin", "sandbox-admin-token", "loc.yaml", "delete.yaml");

        assertThat(status).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("delete.yaml: {").contains("\"accepted\":false");
    }

    @Test
    void should_exit_6_for_a_wrong_token_and_send_nothing() {
        int status = send("admin", "another-users-token", "loc.yaml");

        assertThat(status).isEqualTo(6);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("refused admin: wrong user or token");
        assertThat(engine.runtime().loop().store().outcome("admin", "send-1")).isEmpty();
    }

    @Test
    void should_exit_2_for_a_file_it_cannot_read_before_sending_any() {
        int status = send("admin", "sandbox-admin-token", "loc.yaml", "missing.yaml");

        assertThat(status).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("cannot read missing.yaml");
        assertThat(engine.runtime().loop().store().outcome("admin", "send-1")).isEmpty();
    }
}
