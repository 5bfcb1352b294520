package dev.backupstate.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.InvalidFieldException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What a kubeconfig may hold, so that nothing a user sends makes the engine run a command or read
 * a file (README "Security"): users with tokens, client certificates or passwords written out
 * (the {@code -data} forms), clusters with a server and a CA written out. {@code exec} credential
 * plugins only with a command an admin put on the allow-list ({@code bse.clusters.exec-commands});
 * {@code auth-provider}, {@code tokenFile} and file paths never. {@code file:} references only
 * under the directory an admin configured. Checked at the door, and again on every kubeconfig the
 * engine reads (a Secret may change), before fabric8 sees it: fabric8 runs an exec plugin as it loads.
 */
public final class KubeconfigPolicy {

    private static final Set<String> USER_FIELDS = Set.of("token", "client-certificate-data", "client-key-data",
            "username", "password", "exec");
    private static final Set<String> CLUSTER_FIELDS = Set.of("server", "certificate-authority-data",
            "insecure-skip-tls-verify", "tls-server-name", "disable-compression", "extensions");
    private static final Set<String> EXEC_FIELDS = Set.of("command", "args", "env", "apiVersion", "installHint",
            "provideClusterInfo", "interactiveMode");

    private final Path fileDirectory;
    private final Set<String> execCommands;

    /** {@code fileDirectory} null: no {@code file:} references; {@code execCommands} empty: no exec plugins. */
    public KubeconfigPolicy(Path fileDirectory, Set<String> execCommands) {
        this.fileDirectory = fileDirectory == null ? null : fileDirectory.toAbsolutePath().normalize();
        this.execCommands = Set.copyOf(execCommands);
    }

    public static KubeconfigPolicy of(String fileDirectory, String execCommands) {
        Set<String> commands = new java.util.HashSet<>();
        for (String command : execCommands.split(",")) {
            if (!command.isBlank()) {
                commands.add(command.trim());
            }
        }
        return new KubeconfigPolicy(fileDirectory.isBlank() ? null : Path.of(fileDirectory.trim()), commands);
    }

    /** A kubeconfig as a request gives it (inline, file: or secret:); {@code field} names it in refusals. */
    public void checkReference(String kubeconfig, String field) {
        if (kubeconfig.startsWith(Kubeconfigs.SECRET)) {
            return;
        }
        if (kubeconfig.startsWith(Kubeconfigs.FILE)) {
            file(kubeconfig.substring(Kubeconfigs.FILE.length()).trim(), field);
            return;
        }
        checkText(kubeconfig, field);
    }

    /** The path a {@code file:} reference may be read from, or a refusal naming why not. */
    Path file(String path, String field) {
        if (fileDirectory == null) {
            throw new InvalidFieldException(field, "file: references are off (bse.clusters.kubeconfig-directory is empty); "
                    + "give the kubeconfig inline or as secret:NAMESPACE/NAME");
        }
        Path wanted = fileDirectory.resolve(path).toAbsolutePath().normalize();
        if (!wanted.startsWith(fileDirectory)) {
            throw new InvalidFieldException(field, "file: references are read only under bse.clusters.kubeconfig-directory");
        }
        return wanted;
    }

    /** The same file, with links resolved: a link out of the directory is refused too. */
    Path realFile(String path, String field) throws IOException {
        Path real = file(path, field).toRealPath();
        if (!real.startsWith(fileDirectory.toRealPath())) {
            throw new InvalidFieldException(field, "file: references are read only under bse.clusters.kubeconfig-directory");
        }
        return real;
    }

    /** A kubeconfig's text. */
    public void checkText(String kubeconfig, String field) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(kubeconfig);
        } catch (IOException e) {
            throw new InvalidFieldException(field, "is not a kubeconfig (YAML that cannot be read)");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidFieldException(field, "is not a kubeconfig, nor file:PATH or secret:NAMESPACE/NAME");
        }
        JsonNode users = root.path("users");
        for (int i = 0; i < users.size(); i++) {
            JsonNode user = users.get(i).path("user");
            String at = field + ".users[" + i + "].user";
            for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                if (name.equals("auth-provider")) {
                    throw new InvalidFieldException(at + ".auth-provider", "auth-provider plugins are not accepted; "
                            + "give a token or a client certificate");
                }
                if (name.equals("exec")) {
                    exec(entry.getValue(), at + ".exec");
                } else if (!USER_FIELDS.contains(name)) {
                    throw new InvalidFieldException(at + "." + name, "not accepted: only token, client-certificate-data, "
                            + "client-key-data, username and password (nothing the engine would read from a file)");
                }
            }
        }
        JsonNode clusters = root.path("clusters");
        for (int i = 0; i < clusters.size(); i++) {
            JsonNode cluster = clusters.get(i).path("cluster");
            String at = field + ".clusters[" + i + "].cluster";
            cluster.fieldNames().forEachRemaining(name -> {
                if (!CLUSTER_FIELDS.contains(name)) {
                    throw new InvalidFieldException(at + "." + name, "not accepted: only server, certificate-authority-data, "
                            + "insecure-skip-tls-verify and tls-server-name (nothing the engine would read from a file)");
                }
            });
        }
    }

    private void exec(JsonNode exec, String at) {
        String command = exec.path("command").asText("");
        if (!execCommands.contains(command)) {
            throw new InvalidFieldException(at, "exec credential plugins run a command on the engine's host; '" + command
                    + "' is not on the admins' allow-list (bse.clusters.exec-commands)");
        }
        exec.fieldNames().forEachRemaining(name -> {
            if (!EXEC_FIELDS.contains(name)) {
                throw new InvalidFieldException(at + "." + name, "not an exec plugin field");
            }
        });
    }
}
