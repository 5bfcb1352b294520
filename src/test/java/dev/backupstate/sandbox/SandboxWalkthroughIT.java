package dev.backupstate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backupstate.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through, as a newcomer runs it against the embedded default: only REST calls with
 * the sandbox token, against the sandbox's own clusters, agents and object store.
 */
class SandboxWalkthroughIT {

    private static final String TOKEN = "sandbox-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private TestEngine engine;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        // the embedded default, with the periods shortened so the test does not wait a minute per step
        engine = TestEngine.start(work, Map.of(
                "bse.mode", "Federated",
                "bse.sandbox.enabled", "true",
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "200"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(engine.api() + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(engine.api() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
    }

    private static String backup(String name, String namespace) {
        return """
                apiVersion: backupstate.dev/v1
                kind: CreateBackup
                metadata: {requestId: create-%1$s}
                spec: {name: %1$s, cluster: sandbox-east, location: sandbox, namespaces: [%2$s]}
                """.formatted(name, namespace);
    }

    private static String delete(String name, boolean force) {
        return """
                apiVersion: backupstate.dev/v1
                kind: DeleteBackup
                metadata: {requestId: delete-%1$s-%2$s}
                spec: {backup: %1$s, force: %2$s}
                """.formatted(name, force);
    }

    private String state(String path) throws Exception {
        return get(path).path("state").asText();
    }

    @Test
    void should_walk_a_newcomer_from_a_backup_to_a_force_delete() throws Exception {
        // the sandbox is preloaded: two clusters, a location Valid through sandbox-east's agent only
        await().atMost(Duration.ofSeconds(20)).until(() -> state("/resources/backup-locations/sandbox").equals("Valid"));
        assertThat(state("/resources/clusters/sandbox-east")).isEqualTo("Active");
        await().atMost(Duration.ofSeconds(20)).until(() -> state("/resources/connections/sandbox:sandbox-west").equals("Invalid"));
        assertThat(get("/resources/connections/sandbox:sandbox-west").path("cause").asText()).isEqualTo("access key unknown to the endpoint at step list");

        // 1. a backup reaches Success, and its layout is in the bucket
        assertThat(post("/requests", backup("orders-1", "shop")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> state("/resources/backups/orders-1").equals("Success"));
        assertThat(get("/sandbox").path("objects").toString()).containsPattern("kube-system/orders-1/[0-9a-f-]{36}/metadata\\.json");

        // a namespace labelled PartialSuccess gives a Partial Success
        assertThat(post("/sandbox/clusters/sandbox-east/namespaces/billing?outcome=PartialSuccess", "").statusCode()).isEqualTo(200);
        post("/requests", backup("billing-1", "billing"));
        await().atMost(Duration.ofSeconds(20)).until(() -> state("/resources/backups/billing-1").equals("Partial Success"));

        // 2. the only eligible cluster goes down: a delete needs force
        JsonNode down = JSON.readTree(post("/sandbox/clusters/sandbox-east/down", "").body());
        assertThat(down.path("probe").asText()).isEqualTo("Not Available");
        HttpResponse<String> refused = post("/requests", delete("orders-1", false));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("reason").asText()).isEqualTo("NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED");

        // 3. force: the catalog entry goes, the data stays, and the audit says where
        assertThat(post("/requests", delete("orders-1", true)).statusCode()).isEqualTo(202);
        assertThat(get("/resources/backups/orders-1").isEmpty()).isTrue();
        assertThat(get("/audit?resource=backups/orders-1").toString()).contains("force delete left the data of backup orders-1 in bucket");
        assertThat(get("/sandbox").path("objects").toString()).containsPattern("kube-system/orders-1/[0-9a-f-]{36}/metadata\\.json");

        // and the cluster comes back
        assertThat(JSON.readTree(post("/sandbox/clusters/sandbox-east/up", "").body()).path("probe").asText()).isEqualTo("Active");
    }
}
