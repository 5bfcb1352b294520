package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Envelope;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import dev.backupstate.model.UserState;
import dev.backupstate.store.FencedException;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one store electing their leader through one lock file (Camel's FileLockClusterService),
 * as the embedded default does: one leads, the other follows, serves reads and passes writes to the
 * leader; a deposed leader commits nothing (the fencing epoch); when the leader stops, the follower leads.
 */
class LeadershipIT {

    private static final String TOKEN = "sandbox-admin-token";

    @TempDir
    Path work;
    private TestEngine first;
    private TestEngine second;

    private Map<String, String> shared() {
        // one store (the embedded database, shared in this JVM), one lock file; each its own data directory
        return Map.of(
                "bse.database.url", dev.backupstate.store.Database.embeddedUrl(work.resolve("db")),
                "bse.database.user", "sa",
                "bse.database.password", "",
                "bse.leader.file-root", work.resolve("leader").toString(),
                "bse.leader.retry-millis", "300",
                "bse.leader.follower-refresh-millis", "200");
    }

    @AfterEach
    void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    private static String user(String name) {
        return "kind: SetUserState\nmetadata: {requestId: user-" + name + "}\nspec: {user: " + name + ", state: Active, role: viewer}\n";
    }

    @Test
    void should_let_one_engine_lead_pass_writes_from_the_follower_to_it_and_fence_a_deposed_leader() throws Exception {
        // given: two engines on one store and one lock file
        first = TestEngine.start(work.resolve("a"), shared());
        second = TestEngine.startOnly(work.resolve("b"), shared());
        await().atMost(Duration.ofSeconds(10)).until(() -> second.camel.getCamelContext().isStarted());
        assertThat(first.leadership().leading()).isTrue();
        assertThat(second.leadership().leading()).isFalse();
        assertThat(second.camel.getCamelContext().getRouteController().getRouteStatus("outbox-dispatch").isStarted())
                .as("the follower's outbox does not run").isFalse();

        // when: a write reaches the follower
        RestClient follower = new RestClient(second.api());
        HttpResponse<String> answer = follower.post(TOKEN, user("carol"));

        // then: the leader decided it, once, and the follower reads it
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(first.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.USER, "carol"))).isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> follower.get(TOKEN, "/resources/users/carol").statusCode() == 200);
        assertThat(follower.post(TOKEN, user("carol")).statusCode()).as("the same request id acts once").isEqualTo(202);
        assertThat(first.runtime().loop().store().auditOfRequest("user-carol")).hasSize(1);

        // and an attacker at the follower gains nothing by it: a wrong token is refused there, an operator's token
        // is still an operator's at the leader, and a forged "already forwarded" mark only gets a 503
        assertThat(follower.post("not-a-token", user("mallory")).statusCode()).isEqualTo(401);
        HttpResponse<String> asViewer = follower.post("sandbox-dev-token", user("mallory"));
        assertThat(asViewer.statusCode()).as(asViewer.body()).isEqualTo(409);
        assertThat(asViewer.body()).contains("ACCESS_DENIED", "user dev is operator");
        HttpResponse<String> forged = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(second.api() + "/requests")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/yaml").header(dev.backupstate.inbox.LeaderForwarder.FORWARDED, "engine-x")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(user("mallory"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(503);
        assertThat(first.runtime().loop().store().find(ResourceRef.of(ResourceKind.USER, "mallory"))).isEmpty();

        // and when another replica takes the lead behind the first one's back (a pause past its lease)
        second.runtime().fence().take("intruder", null);

        // then: the deposed leader commits nothing
        assertThatThrownBy(() -> first.runtime().loop().submit(new Envelope("user-dave", "admin", Source.REST, Instant.now(),
                new Request.SetUserState("dave", UserState.ACTIVE, false, dev.backupstate.model.Role.VIEWER))))
                .isInstanceOf(FencedException.class).hasMessageContaining("taken over");
        assertThat(first.runtime().loop().store().find(ResourceRef.of(ResourceKind.USER, "dave"))).isEmpty();
        // and it steps down: its inboxes, schedules and outbox stop
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.leadership().leading()
                && !first.camel.getCamelContext().getRouteController().getRouteStatus("outbox-dispatch").isStarted());
    }

    @Test
    void should_hand_the_lead_to_the_follower_when_the_leader_stops() throws Exception {
        first = TestEngine.start(work.resolve("a"), shared());
        second = TestEngine.startOnly(work.resolve("b"), shared());
        long firstEpoch = first.runtime().fence().epoch();

        // when
        first.close();
        first = null;

        // then: the follower leads, with a newer epoch, and decides writes itself
        await().atMost(Duration.ofSeconds(15)).until(() -> second.leadership().leading());
        assertThat(second.runtime().fence().epoch()).isGreaterThan(firstEpoch);
        assertThat(new RestClient(second.api()).post(TOKEN, user("erin")).statusCode()).isEqualTo(202);
        assertThat(second.camel.getCamelContext().getRouteController().getRouteStatus("outbox-dispatch").isStarted()).isTrue();
    }

    /**
     * The probe that opened issue 12, through both engines' doors: before, the second engine accepted a
     * CreateBackup for a name it had never seen (two RUN_BACKUP rows) and later refused a delete because
     * its own copy still said Pending. Now one leader decides from the one truth.
     */
    @Test
    void should_decide_conflicting_requests_through_either_engine_from_one_truth() throws Exception {
        int s3Port = dev.backupstate.testing.FreePort.find();
        try (var s3 = new dev.backupstate.sandbox.SandboxObjectStore(work.resolve("s3"), s3Port);
             var east = new dev.backupstate.sandbox.SandboxCluster("east")) {
            s3.createBucket("backups");
            east.installAgent("kube-system", "stork", true);
            Map<String, String> settings = new java.util.HashMap<>(shared());
            settings.put("bse.credentials.good", dev.backupstate.sandbox.SandboxObjectStore.ACCESS_KEY + ":"
                    + dev.backupstate.sandbox.SandboxObjectStore.SECRET_KEY);
            settings.put("bse.outbox.poll-millis", "100");
            settings.put("bse.clusters.follow-period-millis", "200");
            first = TestEngine.start(work.resolve("a"), settings);
            second = TestEngine.startOnly(work.resolve("b"), settings);
            RestClient a = new RestClient(first.api());
            RestClient b = new RestClient(second.api());
            assertThat(a.post(TOKEN, "kind: AddCluster\nmetadata: {requestId: east}\nspec: {name: east, kubeconfig: " + json(east.kubeconfig()) + "}\n")
                    .statusCode()).isEqualTo(202);
            assertThat(a.post(TOKEN, "kind: CreateBackupLocation\nmetadata: {requestId: l1}\nspec: {name: l1, endpoint: \"http://127.0.0.1:" + s3Port
                    + "\", region: us-east-1, bucket: backups, credentials: good}\n").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(b, "/resources/clusters/east").equals("Active")
                    && state(b, "/resources/backup-locations/l1").equals("Valid"));

            // when: the same backup asked for at the leader and, under another request id, at the follower
            String backup = "kind: CreateBackup\nmetadata: {requestId: %s}\nspec: {name: b1, cluster: east, location: l1, namespaces: [shop]}\n";
            HttpResponse<String> atLeader = a.post(TOKEN, backup.formatted("b1-at-a"));
            HttpResponse<String> atFollower = b.post(TOKEN, backup.formatted("b1-at-b"));

            // then: one is accepted, the other refused because b1 exists; one backup runs
            assertThat(atLeader.statusCode()).as(atLeader.body()).isEqualTo(202);
            assertThat(atFollower.statusCode()).as(atFollower.body()).isEqualTo(409);
            assertThat(atFollower.body()).contains("b1");
            assertThat(first.runtime().loop().store().auditOfRequest("b1-at-b")).hasSize(1);
            try (var sql = java.sql.DriverManager.getConnection(shared().get("bse.database.url"), "sa", "");
                 var rows = sql.createStatement().executeQuery("select count(*) from outbox where command_type = 'RUN_BACKUP' and target = 'backups/b1'")) {
                rows.next();
                assertThat(rows.getInt(1)).as("RUN_BACKUP commands for b1").isEqualTo(1);
            }

            // and when b1 succeeded (Stork says so on the cluster), a delete at the follower is decided on that: accepted
            var backups = east.client().genericKubernetesResources(dev.backupstate.cluster.AgentContract.APPLICATION_BACKUP).inNamespace("kube-system");
            await().atMost(Duration.ofSeconds(20)).until(() -> backups.withName("b1").get() != null);
            backups.withName("b1").edit(object -> {
                object.setAdditionalProperty("status", Map.of("status", "Successful", "stage", "Final"));
                return object;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> state(b, "/resources/backups/b1").equals("Success"));
            HttpResponse<String> delete = b.post(TOKEN, "kind: DeleteBackup\nmetadata: {requestId: del-b1}\nspec: {backup: b1}\n");
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> b.get(TOKEN, "/resources/backups/b1").statusCode() == 404);
        }
    }

    private static String state(RestClient client, String path) throws Exception {
        HttpResponse<String> answer = client.get(TOKEN, path);
        return answer.statusCode() == 200 ? RestClient.json(answer).path("state").asText() : "";
    }

    private static String json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    }
}
