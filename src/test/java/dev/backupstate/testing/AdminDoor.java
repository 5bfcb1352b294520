package dev.backupstate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.inbox.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's REST door as an admin uses it in the real-cluster tests: requests that must be accepted, resources read back. */
public final class AdminDoor {

    private final RestClient rest;
    private final String token;
    private final String requestPrefix;
    private final AtomicInteger requests = new AtomicInteger();

    /** {@code requestPrefix}: each request's id is this and a counter (ids act once, so they are never reused). */
    public AdminDoor(RestClient rest, String token, String requestPrefix) {
        this.rest = rest;
        this.token = token;
        this.requestPrefix = requestPrefix;
    }

    /** A request, accepted, or the test fails with the engine's answer. */
    public JsonNode ask(String kind, Map<String, Object> spec) throws Exception {
        ObjectNode document = Json.json().createObjectNode();
        document.put("kind", kind);
        document.putObject("metadata").put("requestId", requestPrefix + requests.incrementAndGet());
        document.set("spec", Json.json().valueToTree(spec));
        HttpResponse<String> answer = rest.post(token, Json.json().writeValueAsString(document));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return RestClient.json(answer);
    }

    /** A resource, {@code KIND/NAME} as the API names it (backups/b1). */
    public JsonNode get(String path) throws Exception {
        return RestClient.json(rest.get(token, "/resources/" + path));
    }

    public String state(String path) throws Exception {
        return get(path).path("state").asText();
    }

    /** The resource is not in the catalog (any more). */
    public boolean gone(String path) throws Exception {
        return rest.get(token, "/resources/" + path).statusCode() == 404;
    }
}
