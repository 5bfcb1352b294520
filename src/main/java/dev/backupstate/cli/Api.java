package dev.backupstate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The engine's REST API as the CLI uses it. A request goes with a request id: the one given, else the id
 * of an earlier unanswered attempt of the same document in the same context (kept in
 * {@code ~/.bse/pending/} until an answer comes), else a new one; so a command retried after a timeout or
 * a crash acts once. Connection failures and 503 (no leader yet) are retried here a few times with the
 * same id.
 */
public final class Api {

    /** An answer: status and body. */
    public record Answer(int status, JsonNode body, String text) {
    }

    private static final int ATTEMPTS = 4;

    private final Contexts.Context context;
    private final Path pending;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The engine this client talks to. */
    public String server() {
        return context.server();
    }

    public Api(Contexts.Context context, Path pending) {
        this.context = context;
        this.pending = pending;
    }

    public Contexts.Context context() {
        return context;
    }

    public Answer get(String path, Map<String, String> query) {
        StringBuilder uri = new StringBuilder(context.server()).append("/api/v1").append(path);
        String separator = "?";
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            if (parameter.getValue() != null) {
                uri.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
                separator = "&";
            }
        }
        return send(HttpRequest.newBuilder(URI.create(uri.toString())).GET());
    }

    public Answer get(String path) {
        return get(path, Map.of());
    }

    /** A request id for this document: the one of an unanswered earlier attempt, else a new one, recorded before sending. */
    public String requestId(String document) {
        Path marker = pending.resolve(fingerprint(document));
        try {
            if (Files.exists(marker)) {
                return Files.readString(marker).trim();
            }
            String id = "cli-" + UUID.randomUUID();
            Contexts.privateDirectory(pending);
            Files.writeString(marker, id);
            return id;
        } catch (IOException e) {
            throw new CliException(Exit.USAGE, "cannot keep the request id in " + pending + ": " + e.getMessage());
        }
    }

    /** The engine answered this document for good (accepted, refused or invalid): its id is no longer pending. */
    public void answered(String document) {
        try {
            Files.deleteIfExists(pending.resolve(fingerprint(document)));
        } catch (IOException e) {
            // a stale marker only makes a later identical command reuse an answered id, which the engine answers with its outcome
        }
    }

    /** Posts an operation document (YAML); {@code dryRun}: the decision only. */
    public Answer submit(String document, boolean dryRun) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(context.server() + "/api/v1/requests" + (dryRun ? "?dryRun=true" : "")))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(document));
        return send(request);
    }

    private Answer send(HttpRequest.Builder request) {
        request.header("Authorization", "Bearer " + context.token()).timeout(Duration.ofSeconds(30));
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503 && attempt < ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                JsonNode body;
                try {
                    body = Json.json().readTree(response.body());
                } catch (IOException e) {
                    body = Json.json().createObjectNode();
                }
                return new Answer(response.statusCode(), body == null ? Json.json().createObjectNode() : body, response.body());
            } catch (IOException e) {
                last = e;
                if (attempt < ATTEMPTS) {
                    pause(attempt);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(Exit.UNREACHABLE, "interrupted");
            }
        }
        throw new CliException(Exit.UNREACHABLE, "the engine at " + context.server() + " does not answer ("
                + (last == null ? "503" : last.getClass().getSimpleName() + (last.getMessage() == null ? "" : ": " + last.getMessage()))
                + "); run the command again: the same request id is reused and acts once");
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(500L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The document without its request id, in this context: two runs of one command match, two commands do not. */
    private String fingerprint(String document) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((context.name() + "\n" + context.server() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(document.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails the command with the exit code an HTTP answer means, the engine's own words as the message. */
    public static CliException failure(Answer answer) {
        String message = answer.body().path("error").asText(null);
        if (message == null) {
            message = answer.body().path("message").asText(answer.text());
        }
        Exit exit = switch (answer.status()) {
            case 400, 413 -> Exit.USAGE;
            case 401, 403 -> Exit.DENIED;
            case 404 -> Exit.NOT_FOUND;
            default -> answer.status() >= 500 ? Exit.UNREACHABLE : Exit.REFUSED;
        };
        return new CliException(exit, "error (" + answer.status() + "): " + message);
    }

    static Map<String, String> query(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }
}
