package dev.backupstate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The engine's REST API as a person's client calls it: a bearer token, YAML documents, JSON answers. */
public final class RestClient {

    private final String api;
    private final HttpClient http = HttpClient.newHttpClient();

    public RestClient(String api) {
        this.api = api;
    }

    public HttpResponse<String> post(String token, String document) throws Exception {
        return post(token, "/requests", HttpRequest.BodyPublishers.ofString(document));
    }

    public HttpResponse<String> post(String token, String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/yaml").POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.json().readTree(response.body());
    }
}
