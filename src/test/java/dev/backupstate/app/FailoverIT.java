package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.testing.EngineProcess;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestDatabases;
import dev.backupstate.testing.TestEngine;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader killed (kill -9) in the middle of a burst of requests (issue 12): a second engine process
 * leads on PostgreSQL, this JVM's engine follows and passes the burst on; the leader dies; the follower
 * takes the lead, and the clients' retries (same request ids, as the 503 asks) end with every request
 * decided exactly once.
 */
class FailoverIT {

    private static final String USER = TestDatabases.POSTGRES_USER;
    private static final String PASSWORD = TestDatabases.POSTGRES_PASSWORD;
    private static final String TOKEN = "sandbox-admin-token";
    private static final int BURST = 40;

    @TempDir
    Path work;
    private Process leader;
    private TestEngine follower;

    @AfterEach
    void stop() throws Exception {
        if (leader != null) {
            leader.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (follower != null) {
            follower.close();
        }
    }

    private static String user(int i) {
        return "kind: SetUserState\nmetadata: {requestId: burst-" + i + "}\nspec: {user: burst-user-" + i + ", state: Active, role: viewer}\n";
    }

    @Test
    void should_decide_every_request_once_when_the_leader_is_killed_mid_burst() throws Exception {
        String schema = "failover_" + Long.toString(System.nanoTime(), 36);
        try (Connection sql = DriverManager.getConnection(TestDatabases.POSTGRES_URL, USER, PASSWORD); Statement create = sql.createStatement()) {
            create.execute("create schema " + schema);
        }
        String url = TestDatabases.postgresUrl(schema);
        Map<String, String> shared = new HashMap<>(Map.of(
                "bse.database.url", url, "bse.database.user", USER, "bse.database.password", PASSWORD,
                "bse.leader.file-root", work.resolve("leader").toString(),
                "bse.leader.retry-millis", "300"));

        // given: the other process leads, this JVM's engine follows
        leader = startLeader(shared);
        await().atMost(Duration.ofSeconds(60)).until(() -> "engine-b".equals(holder(url)));
        follower = TestEngine.startOnly(work.resolve("a"), shared);
        await().atMost(Duration.ofSeconds(20)).until(() -> follower.camel.getCamelContext().isStarted());
        assertThat(follower.leadership().leading()).isFalse();
        RestClient client = new RestClient(follower.api());

        // when: a burst of writes through the follower, and the leader killed in the middle of it
        for (int i = 0; i < BURST; i++) {
            if (i == BURST / 3) {
                leader.destroyForcibly();
            }
            HttpResponse<String> answer = sendUntilDecided(client, user(i));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        }

        // then: the follower leads, and every request was decided exactly once
        assertThat(follower.leadership().leading()).isTrue();
        assertThat(holder(url)).isEqualTo(follower.leadership().member());
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement()) {
            try (ResultSet rows = query.executeQuery("select count(*), count(distinct request_id) from audit where request_id like 'burst-%'")) {
                rows.next();
                assertThat(rows.getInt(1)).as("decisions").isEqualTo(BURST);
                assertThat(rows.getInt(2)).as("distinct requests").isEqualTo(BURST);
            }
            try (ResultSet rows = query.executeQuery("select count(*) from resource where kind = 'USER' and name like 'burst-user-%'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(BURST);
            }
        }
    }

    /**
     * What a client does with a 503 (no leader answers now) or a dropped connection: the same request
     * again, every 200 ms, until an engine decides it.
     */
    private static HttpResponse<String> sendUntilDecided(RestClient client, String document) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO)
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> client.post(TOKEN, document), answer -> answer.statusCode() != 503 && answer.statusCode() != 502);
    }

    private static String holder(String url) throws Exception {
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
             ResultSet rows = query.executeQuery("select holder from leadership where id = 1")) {
            return rows.next() ? rows.getString(1) : null;
        } catch (java.sql.SQLException e) {
            // not migrated yet
            return null;
        }
    }

    private Process startLeader(Map<String, String> shared) throws Exception {
        return EngineProcess.start(work, "b", FreePort.find(), shared);
    }
}
