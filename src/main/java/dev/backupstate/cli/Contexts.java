package dev.backupstate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.inbox.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI talks to, like a kubeconfig: named contexts, each a server and a token, and the current
 * one, in {@code ~/.bse/config} (or BSE_CONFIG). The file is written readable by its owner only; the
 * token is read from standard input when set, and never printed back. BSE_SERVER and BSE_TOKEN, when
 * set, win over the file (scripts and CI); {@code --context NAME} picks another context for one command.
 */
public final class Contexts {

    /** One engine and who we are to it. */
    public record Context(String name, String server, String token) {
    }

    private final Path file;
    private final Map<String, String> env;

    public Contexts(Map<String, String> env) {
        this.env = env;
        String configured = env.get("BSE_CONFIG");
        this.file = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".bse", "config");
    }

    public Path file() {
        return file;
    }

    /** The context a command runs in: --context, else BSE_SERVER/BSE_TOKEN, else the file's current one. */
    public Context resolve(String wanted) {
        ObjectNode config = read();
        if (wanted == null && env.get("BSE_TOKEN") != null && !env.get("BSE_TOKEN").isBlank()) {
            return new Context("(environment)", env.getOrDefault("BSE_SERVER", "http://localhost:8080").replaceAll("/+$", ""),
                    env.get("BSE_TOKEN"));
        }
        String name = wanted != null ? wanted : config.path("current-context").asText(null);
        if (name == null) {
            throw new CliException(Exit.USAGE, "no context: run `bse config set-context NAME --server URL --token-stdin` "
                    + "(or set BSE_SERVER and BSE_TOKEN)");
        }
        JsonNode context = find(config, name).orElseThrow(() -> new CliException(Exit.USAGE,
                "no context '" + name + "' in " + file + "; `bse config get-contexts` lists them"));
        String token = context.path("token").asText("");
        if (token.isEmpty()) {
            throw new CliException(Exit.USAGE, "context '" + name + "' has no token: `bse config set-context " + name + " --token-stdin`");
        }
        return new Context(name, context.path("server").asText("http://localhost:8080").replaceAll("/+$", ""), token);
    }

    /** Adds or changes a context; the token only when given. The first context becomes the current one. */
    public void set(String name, String server, String token) {
        if (!name.matches("[A-Za-z0-9][-A-Za-z0-9_.]{0,62}")) {
            throw new CliException(Exit.USAGE, "'" + name + "' is not a context name (letters, digits, '-', '_', '.')");
        }
        if (server != null && !server.matches("https?://[^\\s/]+(/.*)?")) {
            throw new CliException(Exit.USAGE, "--server: '" + server + "' is not an http(s) URL");
        }
        ObjectNode config = read();
        ArrayNode contexts = config.withArray("contexts");
        ObjectNode context = find(config, name).map(ObjectNode.class::cast).orElseGet(() -> {
            ObjectNode added = contexts.addObject();
            added.put("name", name);
            added.put("server", "http://localhost:8080");
            return added;
        });
        if (server != null) {
            context.put("server", server.replaceAll("/+$", ""));
        }
        if (token != null) {
            context.put("token", token);
        }
        if (!config.hasNonNull("current-context")) {
            config.put("current-context", name);
        }
        write(config);
    }

    public void use(String name) {
        ObjectNode config = read();
        if (find(config, name).isEmpty()) {
            throw new CliException(Exit.NOT_FOUND, "no context '" + name + "' in " + file);
        }
        config.put("current-context", name);
        write(config);
    }

    /** The contexts, with the token shown only as whether it is set. */
    public List<Map<String, String>> list() {
        ObjectNode config = read();
        String current = config.path("current-context").asText("");
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode context : config.path("contexts")) {
            rows.add(Map.of("current", context.path("name").asText().equals(current) ? "*" : "",
                    "name", context.path("name").asText(), "server", context.path("server").asText(),
                    "token", context.path("token").asText("").isEmpty() ? "(none)" : "(set)"));
        }
        return rows;
    }

    private static Optional<JsonNode> find(ObjectNode config, String name) {
        for (JsonNode context : config.path("contexts")) {
            if (context.path("name").asText().equals(name)) {
                return Optional.of(context);
            }
        }
        return Optional.empty();
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return Json.yaml().createObjectNode();
        }
        try {
            JsonNode tree = Json.yaml().readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return Json.yaml().createObjectNode();
            }
            if (!tree.isObject()) {
                throw new CliException(Exit.USAGE, file + " is not a bse config (a map with contexts and current-context)");
            }
            return (ObjectNode) tree;
        } catch (IOException e) {
            throw new CliException(Exit.USAGE, file + " cannot be read: " + e.getMessage());
        }
    }

    private void write(ObjectNode config) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path written = Files.createTempFile(file.toAbsolutePath().getParent(), ".config", ".tmp");
            try {
                Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(written, Json.yaml().writeValueAsString(config));
            Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
