package dev.backupstate.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code bse request [--dry-run] FILE...}: each operation document to the running engine's REST inbox
 * (BSE_SERVER, default http://localhost:8080, as the user of BSE_TOKEN), and its outcome printed; with
 * {@code --dry-run}, the whole decision the rules would make, nothing committed. Exit 0: every document
 * accepted (or would be); 1: one was refused; 2: one could not be sent or read.
 */
final class RequestCommand {

    private RequestCommand() {
    }

    static int run(List<String> arguments, Path cwd, Map<String, String> env, PrintStream out) {
        boolean dryRun = arguments.contains("--dry-run");
        List<String> rest = new java.util.ArrayList<>(arguments.stream().filter(a -> !a.equals("--dry-run")).toList());
        String context;
        try {
            context = ContextArgument.take(rest);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        List<String> files = rest;
        if (files.isEmpty()) {
            out.println("usage: bse request [--dry-run] [--context NAME] FILE...   (the engine and token of the context, or BSE_SERVER and BSE_TOKEN)");
            return 2;
        }
        dev.backupstate.cli.Contexts.Context target;
        try {
            target = new dev.backupstate.cli.Contexts(env).resolve(context);
        } catch (dev.backupstate.cli.CliException e) {
            out.println(e.getMessage());
            return e.exit().code;
        }
        String token = target.token();
        String server = target.server();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int status = 0;
        for (String name : files) {
            Path file = cwd.resolve(name);
            byte[] document;
            try {
                document = Files.readAllBytes(file);
            } catch (IOException e) {
                out.println(name + ": cannot be read: " + e.getMessage());
                status = 2;
                continue;
            }
            HttpResponse<String> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/requests" + (dryRun ? "?dryRun=true" : "")))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/yaml")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                out.println(name + ": the engine at " + server + " does not answer: " + e.getMessage());
                status = 2;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 2;
            }
            out.println(name + ": " + answer.statusCode() + (dryRun ? " (dry run: nothing committed)" : ""));
            out.println(pretty(answer.body()));
            boolean accepted = answer.statusCode() == 202 || answer.statusCode() == 200 && accepted(answer.body());
            if (answer.statusCode() >= 500 || answer.statusCode() == 400 || answer.statusCode() == 401 || answer.statusCode() == 413) {
                status = 2;
            } else if (!accepted && status == 0) {
                status = 1;
            }
        }
        return status;
    }

    private static boolean accepted(String body) {
        try {
            return Json.json().readTree(body).path("accepted").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static String pretty(String body) {
        try {
            JsonNode tree = Json.json().readTree(body);
            return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            return body;
        }
    }
}
