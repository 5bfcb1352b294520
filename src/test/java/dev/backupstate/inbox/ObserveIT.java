package dev.backupstate.inbox;

import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

/** Health, metrics and the OpenAPI description, as an operator's tooling reads them over HTTP. */
class ObserveIT {

    @TempDir
    Path work;
    private TestEngine engine;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        engine = TestEngine.start(work, Map.of("bse.metrics.resources-period-millis", "200"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_report_live_and_ready_with_the_store_checked() throws Exception {
        // ready once every consumer has started: the file inbox after its first poll
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get(engine.management() + "/observe/health/ready").statusCode() == 200);
        HttpResponse<String> ready = get(engine.management() + "/observe/health/ready");
        HttpResponse<String> live = get(engine.management() + "/observe/health/live");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"").contains("\"name\":\"store\"");
        assertThat(live.statusCode()).isEqualTo(200);
    }

    @Test
    void should_count_requests_decisions_and_resources_in_prometheus_format() throws Exception {
        HttpRequest create = HttpRequest.newBuilder(URI.create(engine.api() + "/requests"))
                .header("Authorization", "Bearer sandbox-admin-token")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        kind: CreateBackupLocation
                        metadata: {requestId: loc-1}
                        spec: {name: l1, endpoint: "http://minio:9000", bucket: nightly, credentials: secret/minio}
                        """)).build();
        assertThat(http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode()).as("sent without a content type").isEqualTo(202);
        http.send(HttpRequest.newBuilder(URI.create(engine.api() + "/requests"))
                .header("Authorization", "Bearer sandbox-admin-token")
                .POST(HttpRequest.BodyPublishers.ofString("kind: [")).build(), HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(engine.management() + "/observe/metrics").body())
                .contains("bse_requests_total{kind=\"CreateBackupLocation\",outcome=\"accepted\",source=\"rest\"} 1.0")
                .contains("bse_requests_total{kind=\"unreadable\",outcome=\"invalid\",source=\"rest\"} 1.0")
                .contains("bse_decisions_total{reason=\"none\",rule=\"A new backup location starts validation\"} 1.0")
                .contains("bse_resources{kind=\"backup-locations\",state=\"ValidationInProgress\"} 1.0")
                .contains("camel_exchanges_total"));
    }

    @Test
    void should_serve_the_openapi_description_of_the_rest_api() throws Exception {
        HttpResponse<String> openapi = get(engine.api() + "/openapi.json");

        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).doesNotContain("http://null");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(openapi.body()).path("servers").get(0).path("url").asText())
                .isEqualTo("/");
        assertThat(openapi.body()).contains("\"openapi\"").contains("/api/v1/requests/{requestId}")
                .contains("\"operationId\" : \"submitRequest\"").contains("\"413\"");
        // and the schemas of every document a person may send and every resource kind, from the model
        com.fasterxml.jackson.databind.JsonNode schemas = new com.fasterxml.jackson.databind.ObjectMapper().readTree(openapi.body())
                .path("components").path("schemas");
        for (String kind : dev.backupstate.inbox.OperationDocuments.peoplesKinds().keySet()) {
            assertThat(schemas.has(kind + "Document")).as(kind).isTrue();
            assertThat(schemas.path(kind + "Document").at("/properties/kind/enum/0").asText()).isEqualTo(kind);
        }
        assertThat(schemas.at("/CreateBackup/properties").fieldNames()).toIterable().contains("name", "cluster", "location", "labels");
        for (dev.backupstate.model.ResourceKind kind : dev.backupstate.model.ResourceKind.values()) {
            assertThat(schemas.has(kind.type().getSimpleName())).as(kind.path()).isTrue();
        }
        assertThat(schemas.at("/Outcome/properties").fieldNames()).toIterable().contains("accepted", "reason", "rule", "refusals");
        com.fasterxml.jackson.databind.JsonNode submit = new com.fasterxml.jackson.databind.ObjectMapper().readTree(openapi.body())
                .at("/paths/~1api~1v1~1requests/post");
        assertThat(submit.at("/requestBody/content/application~1yaml/schema/$ref").asText()).isEqualTo("#/components/schemas/OperationDocument");
        assertThat(submit.at("/responses/409/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/Outcome");
    }
}
