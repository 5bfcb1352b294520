package dev.backupstate.inbox;

import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.store.Database;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing done twice: the engine runs in a JVM of its own, is killed with SIGKILL
 * while a burst of 500 files is being processed, and restarted on the same folders and database.
 */
class CrashRecoveryIT {

    private static final int FILES = 500;
    /** A kubeconfig of a cluster nobody runs: its probes fail at once (connection refused). */
    private static final String UNREACHABLE = "{apiVersion: v1, kind: Config, clusters: [{name: x, cluster: {server: "
            + "\"https://127.0.0.1:1\"}}], users: [{name: x, user: {token: t}}], contexts: [{name: x, context: {cluster: x, "
            + "user: x}}], current-context: x}";

    @TempDir
    Path work;
    private final List<Process> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() throws InterruptedException {
        for (Process engine : engines) {
            engine.destroyForcibly();
            engine.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process startEngine(String logName) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.backupstate.app.Main")
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(logName).toFile());
        builder.environment().put("BSE_INBOX_DIRECTORY", work.resolve("inbox").toString());
        builder.environment().put("BSE_OUTBOX_DIRECTORY", work.resolve("outbox").toString());
        builder.environment().put("BSE_DATA_DIRECTORY", work.resolve("data").toString());
        builder.environment().put("BSE_INBOX_SETTLE_MILLIS", "100");
        builder.environment().put("CAMEL_SERVER_PORT", String.valueOf(FreePort.find()));
        builder.environment().put("CAMEL_MANAGEMENT_PORT", String.valueOf(FreePort.find()));
        builder.environment().put("BSE_BROKER_LISTEN", "");
        // the kill test counts what its own files created: no sandbox, and the mode its documents are written for
        builder.environment().put("BSE_SANDBOX_ENABLED", "false");
        builder.environment().put("BSE_MODE", "Classic");
        Process engine = builder.start();
        engines.add(engine);
        return engine;
    }

    private long outcomes() throws IOException {
        Path outbox = work.resolve("outbox").resolve("admin");
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".outcome.json")).count();
        }
    }

    @Test
    void should_give_every_file_one_outcome_and_store_each_change_once_after_a_kill() throws Exception {
        // given a burst of 500 documents, each adding its own cluster
        Path inbox = Files.createDirectories(work.resolve("inbox").resolve("admin"));
        Path staging = Files.createDirectories(work.resolve("staging"));
        for (int i = 0; i < FILES; i++) {
            Path file = Files.writeString(staging.resolve("add-" + i + ".yaml"), "kind: AddCluster\n"
                    + "metadata: {requestId: burst-" + i + ", user: admin}\n"
                    + "spec: {name: cluster-" + i + ", kubeconfig: '" + UNREACHABLE + "'}\n");
            Files.move(file, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }

        // when the engine is killed with SIGKILL once it has answered some of them
        Process first = startEngine("engine-1.log");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> outcomes() >= 50);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long answeredBeforeKill = outcomes();

        // and started again on the same folders and database
        Process second = startEngine("engine-2.log");
        await().atMost(Duration.ofSeconds(120)).until(() -> outcomes() == FILES);
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // then every file has exactly one outcome, accepted, and sits in .done exactly once
        assertThat(answeredBeforeKill).isLessThan(FILES);
        for (int i = 0; i < FILES; i++) {
            JsonNode outcome = Json.json().readTree(work.resolve("outbox/admin/add-" + i + ".yaml.outcome.json").toFile());
            assertThat(outcome.get("requestId").asText()).isEqualTo("burst-" + i);
            assertThat(outcome.get("accepted").asBoolean()).as("outcome of add-" + i).isTrue();
            assertThat(inbox.resolve(".done/add-" + i + ".yaml")).exists();
        }
        try (Stream<Path> left = Files.list(inbox)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }

        // and the store holds each accepted change once: 500 clusters, one decision per request
        try (HikariDataSource database = Database.open(Database.embeddedUrl(work.resolve("data")), "sa", "", null);
             Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            assertThat(count(sql, "select count(*) from resource where kind = 'CLUSTER'")).isEqualTo(FILES);
            assertThat(count(sql, "select count(*) from audit where request_id like 'burst-%'")).isEqualTo(FILES);
            assertThat(count(sql, "select count(*) from request where request_id like 'burst-%'")).isEqualTo(FILES);
            assertThat(count(sql, "select count(*) from outbox where command_type = 'PROBE_CLUSTER'")).isEqualTo(FILES);
        }
    }

    private static long count(Statement sql, String query) throws Exception {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }
}
