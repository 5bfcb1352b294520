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

    /**
     * The context a command runs in: --context, else BSE_SERVER/BSE_TOKEN, else the file's current one.
     * BSE_SERVER without BSE_TOKEN beside a context for another server is refused, naming both: the
     * context's token is never sent to a server it was not given for, and a command never acts on an
     * engine the caller did not mean.
     */
    public Context resolve(String wanted) {
        ObjectNode config = read();
        String environmentServer = env.get("BSE_SERVER") == null || env.get("BSE_SERVER").isBlank() ? null
                : env.get("BSE_SERVER").trim().replaceAll("/+$", "");
        if (wanted == null && env.get("BSE_TOKEN") != null && !env.get("BSE_TOKEN").isBlank()) {
            return checked(new Context("(environment)", environmentServer == null ? "http://localhost:8080" : environmentServer,
                    env.get("BSE_TOKEN")));
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
        String server = context.path("server").asText("http://localhost:8080").replaceAll("/+$", "");
        if (environmentServer != null && !environmentServer.equals(server)) {
            throw new CliException(Exit.USAGE, "BSE_SERVER is " + environmentServer + " but context '" + name + "' is for "
                    + server + ": unset BSE_SERVER, or give BSE_TOKEN for " + environmentServer
                    + " (a context's token is never sent to another server)");
        }
        return checked(new Context(name, server, token));
    }

    /** Warns (on standard error) of a token about to cross a network in plain HTTP. */
    private Context checked(Context context) {
        if (!loopbackOrTls(context.server())) {
            warnings.println("warning: " + context.server() + " is plain HTTP to a host that is not this machine: "
                    + "the token crosses the network unencrypted; use https://");
        }
        return context;
    }

    static boolean loopbackOrTls(String server) {
        try {
            java.net.URI uri = java.net.URI.create(server);
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                return true;
            }
            String host = uri.getHost() == null ? "" : uri.getHost();
            return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        } catch (IllegalArgumentException e) {
            return true; // not a URL: the request fails with its own message
        }
    }

    private java.io.PrintStream warnings = System.err;

    /** Where warnings go (tests read them). */
    public Contexts warnTo(java.io.PrintStream stream) {
        this.warnings = stream;
        return this;
    }

    /** A directory only its owner may enter (0700): the CLI's config, tokens and pending request ids live there. */
    static void privateDirectory(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (absolute.getParent() != null && !Files.isDirectory(absolute.getParent())) {
            privateDirectory(absolute.getParent());
        }
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute);
        }
        try {
            Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own protection applies
        }
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
            privateDirectory(file.toAbsolutePath().getParent());
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
