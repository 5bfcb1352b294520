package dev.backupstate.inbox;

import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST inbox over real HTTP, on the routes of routes/ and the embedded defaults. */
class RestApiIT {

    private static final String ADMIN = "sandbox-admin-token";

    @TempDir
    Path work;
    private TestEngine engine;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        engine = TestEngine.start(work, Map.of("bse.documents.max-bytes", "2048"));
        base = engine.api();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/requests"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.json().readTree(response.body());
    }

    private static final String CREATE_LOCATION = """
            apiVersion: backupstate.dev/v1
            kind: CreateBackupLocation
            metadata: {requestId: loc-1}
            spec: {name: l1, endpoint: "http://minio:9000", bucket: nightly, credentials: secret/minio}
            """;

    @Test
    void should_accept_a_request_and_serve_it_back() throws Exception {
        HttpResponse<String> created = post(ADMIN, CREATE_LOCATION);

        assertThat(created.statusCode()).isEqualTo(202);
        assertThat(json(created).get("transitions").get(0).asText())
                .isEqualTo("backup-locations/l1: created ValidationInProgress");
        assertThat(json(get(ADMIN, "/requests/loc-1")).get("accepted").asBoolean()).isTrue();
        assertThat(json(get(ADMIN, "/resources/backup-locations/l1")).get("state").asText())
                .isEqualTo("ValidationInProgress");
        assertThat(json(get(ADMIN, "/resources/backup-locations")).path("items").size()).isEqualTo(1);
        assertThat(json(get(ADMIN, "/resources/backup-locations")).path("items").get(0).get("state").asText())
                .isEqualTo("ValidationInProgress");
        JsonNode matrix = json(get(ADMIN, "/matrix"));
        assertThat(matrix.get("mode").asText()).isEqualTo("Classic");
        assertThat(matrix.at("/resources/backup-locations/ValidationInProgress").asInt()).isEqualTo(1);
        assertThat(json(get(ADMIN, "/audit?resource=backup-locations/l1")).path("items").get(0).get("rule").asText())
                .isEqualTo("A new backup location starts validation");
    }

    @Test
    void should_answer_a_rule_rejection_with_409_and_the_reason() throws Exception {
        HttpResponse<String> refused = post("sandbox-dev-token",
                "kind: SetUserState\nspec: {user: dev, state: Active, admin: true}\n");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("reason").asText()).isEqualTo("ACCESS_DENIED");
    }

    @Test
    void should_refuse_without_a_known_token() throws Exception {
        assertThat(post(null, CREATE_LOCATION).statusCode()).isEqualTo(401);
        assertThat(post("guessed", CREATE_LOCATION).statusCode()).isEqualTo(401);
        assertThat(get("guessed", "/matrix").statusCode()).isEqualTo(401);
    }

    @Test
    void should_answer_bad_input_with_400_naming_the_field_and_change_nothing() throws Exception {
        HttpResponse<String> missing = post(ADMIN, "kind: CreateBackupLocation\nspec: {endpoint: x, bucket: b}\n");
        HttpResponse<String> unknownKind = post(ADMIN, "kind: FormatDisk\nspec: {}\n");
        HttpResponse<String> malformed = post(ADMIN, "{\"kind\": \"DeleteBackup\", ");
        HttpResponse<String> badKind = get(ADMIN, "/resources/volumes");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("field").asText()).isEqualTo("spec.name");
        assertThat(json(unknownKind).get("field").asText()).isEqualTo("kind");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(json(get(ADMIN, "/resources/backup-locations")).path("items").size()).isZero();
    }

    @Test
    void should_refuse_a_form_body_naming_the_content_type() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/requests"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(CREATE_LOCATION)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(json(form).get("field").asText()).isEqualTo("Content-Type");
        assertThat(form.headers().map().keySet()).noneMatch(name -> name.contains("CreateBackupLocation"));
        assertThat(get(ADMIN, "/requests/loc-1").statusCode()).isEqualTo(404);
    }

    @Test
    void should_refuse_an_oversized_body_with_413() throws Exception {
        String padded = CREATE_LOCATION + "#" + "x".repeat(4096) + "\n";

        assertThat(post(ADMIN, padded).statusCode()).isEqualTo(413);
        assertThat(get(ADMIN, "/requests/loc-1").statusCode()).isEqualTo(404);
    }
}
