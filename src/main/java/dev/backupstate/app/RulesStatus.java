package dev.backupstate.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code bse rules status}: the rules in force on a running engine, from GET /api/v1/rules, on the engine
 * and with the token of the caller's context (--context, BSE_SERVER and BSE_TOKEN, or the current one),
 * as every other verb: each rule with its file and line, the files, the last reload.
 */
public final class RulesStatus {

    private RulesStatus() {
    }

    public static int print(Map<String, String> env, PrintStream out) {
        return print(env, null, out);
    }

    /** {@code context}: the one named by --context; else BSE_SERVER and BSE_TOKEN, else the current context. */
    public static int print(Map<String, String> env, String context, PrintStream out) {
        dev.backupstate.cli.Contexts.Context target;
        try {
            target = new dev.backupstate.cli.Contexts(env).resolve(context);
        } catch (dev.backupstate.cli.CliException e) {
            out.println(e.getMessage());
            return e.exit().code;
        }
        String server = target.server();
        String token = target.token();
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create(server + "/api/v1/rules")).header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            out.println("the engine at " + server + " does not answer: " + e.getMessage());
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 3;
        }
        if (answer.statusCode() != 200) {
            out.println("the engine at " + server + " answered " + answer.statusCode() + ": " + answer.body());
            return answer.statusCode() == 401 ? 4 : 3;
        }
        JsonNode status;
        try {
            status = Json.json().readTree(answer.body());
        } catch (IOException e) {
            out.println("the engine's answer is not JSON: " + e.getMessage());
            return 3;
        }
        out.println("generation " + status.path("generation").asLong() + "  " + status.path("hash").asText()
                + "  loaded " + status.path("loadedAt").asText() + " from " + status.path("directory").asText());
        out.println("files: " + String.join(", ", Json.json().convertValue(status.path("files"), String[].class)));
        out.println(status.path("rules").size() + " rules:");
        status.path("rules").forEach(rule -> out.println("  " + rule.path("file").asText() + ":" + rule.path("line").asInt()
                + "  " + rule.path("rule").asText()));
        JsonNode refusal = status.path("lastRefusal");
        if (refusal.isMissingNode() || refusal.isNull()) {
            out.println("last reload: accepted");
        } else {
            out.println("LAST RELOAD REFUSED at " + refusal.path("at").asText() + " (generation "
                    + status.path("generation").asLong() + " keeps deciding):");
            refusal.path("problems").forEach(p -> out.println("  " + p.path("file").asText() + ":" + p.path("line").asInt()
                    + ": " + p.path("message").asText()));
        }
        status.path("ruleErrors").fields().forEachRemaining(e -> out.println("RULE ERRORS " + e.getValue().asLong() + "x  " + e.getKey()));
        JsonNode last = status.path("lastRuleError");
        if (!last.isMissingNode() && !last.isNull()) {
            out.println("  last: " + last.path("rule").asText() + " (" + last.path("file").asText() + ":" + last.path("line").asInt()
                    + ") at " + last.path("at").asText() + ": " + last.path("message").asText());
        }
        return refusal.isMissingNode() || refusal.isNull() ? 0 : 1;
    }
}
