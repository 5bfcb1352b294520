package dev.backupstate.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.inbox.InvalidDocumentException;
import dev.backupstate.inbox.Json;
import dev.backupstate.inbox.OperationDocument;
import dev.backupstate.inbox.OperationDocuments;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.Connection;
import dev.backupstate.model.CredentialGrant;
import dev.backupstate.model.DiscoveryConfig;
import dev.backupstate.model.Actor;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Request;
import dev.backupstate.model.Role;
import dev.backupstate.model.Labelled;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Resource;
import dev.backupstate.model.Restore;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.SchedulePolicy;
import dev.backupstate.model.Share;
import dev.backupstate.model.Source;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import dev.backupstate.model.User;
import dev.backupstate.model.UserState;
import dev.backupstate.model.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads scenario files. A file is {@code scenarios:} followed by cases of {@code name}, {@code given}
 * (mode and lists of resources by kind), {@code when} (an operation document's kind, user and spec)
 * and {@code then}. rules/scenarios/README.md describes the format for the people who write them.
 */
public final class ScenarioFiles {

    /** The users every world holds unless its given lists users of its own. */
    static final List<User> DEFAULT_USERS = List.of(new User("admin", UserState.ACTIVE, true),
            new User("alice", UserState.ACTIVE, false), new User("bob", UserState.ACTIVE, false));
    static final Instant DEFAULT_TIME = Instant.parse("2026-11-24T12:00:00Z");

    private static final Map<String, Class<? extends Resource>> GIVEN_KINDS = new LinkedHashMap<>();

    static {
        GIVEN_KINDS.put("users", User.class);
        GIVEN_KINDS.put("clusters", Cluster.class);
        GIVEN_KINDS.put("locations", BackupLocation.class);
        GIVEN_KINDS.put("connections", Connection.class);
        GIVEN_KINDS.put("policies", SchedulePolicy.class);
        GIVEN_KINDS.put("schedules", Schedule.class);
        GIVEN_KINDS.put("backups", Backup.class);
        GIVEN_KINDS.put("restores", Restore.class);
        GIVEN_KINDS.put("shares", Share.class);
        GIVEN_KINDS.put("syncs", Sync.class);
        GIVEN_KINDS.put("discoveryConfigs", DiscoveryConfig.class);
        GIVEN_KINDS.put("virtualMachines", VirtualMachine.class);
    }

    private ScenarioFiles() {
    }

    /** Every *.yaml file of the directory, in name order. */
    public static List<Path> in(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        }
    }

    /** The cases of one file; a case that cannot be read comes back as an unreadable scenario. */
    public static List<Scenario> read(Path file) {
        String fileName = file.getFileName().toString();
        JsonNode root;
        try {
            // SnakeYAML resolves anchors, aliases and merge keys (<<), which Jackson's YAML parser does not.
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            root = Json.yaml().valueToTree(document);
        } catch (IOException | RuntimeException e) {
            return List.of(Scenario.unreadable(fileName, "(file)", "cannot read: " + e.getMessage()));
        }
        JsonNode cases = root == null ? null : root.get("scenarios");
        if (cases == null || !cases.isArray() || cases.isEmpty()) {
            return List.of(Scenario.unreadable(fileName, "(file)", "expected 'scenarios:' with a list of cases"));
        }
        List<Scenario> scenarios = new ArrayList<>();
        int index = 0;
        for (JsonNode node : cases) {
            index++;
            String name = node.path("name").asText("case " + index);
            try {
                scenarios.add(scenario(fileName, name, node));
            } catch (RuntimeException e) {
                scenarios.add(Scenario.unreadable(fileName, name, e.getMessage()));
            }
        }
        return scenarios;
    }

    private static Scenario scenario(String file, String name, JsonNode node) {
        JsonNode given = node.path("given");
        if (!given.isObject()) {
            throw new IllegalArgumentException("given: expected a mapping of mode and resources");
        }
        Mode mode = Labelled.parse(Mode.class, given.path("mode").asText("Classic"));
        List<Resource> world = world(given);
        Envelope when = when(node.path("when"));
        JsonNode quotas = given.path("quotas");
        return new Scenario(file, name, mode, world, credentials(given.path("credentials")), when,
                expectation(node.path("then")), null, quotas.isMissingNode() ? dev.backupstate.model.Quotas.NONE
                        : new dev.backupstate.model.Quotas(quotas.path("schedules").asLong(0), quotas.path("backups").asLong(0),
                                quotas.path("restores").asLong(0)));
    }

    /** given.credentials: the grants of configured credentials, as bse.credentials.NAME.users etc. give them. */
    private static List<CredentialGrant> credentials(JsonNode entries) {
        List<CredentialGrant> grants = new ArrayList<>();
        for (JsonNode entry : entries) {
            java.util.Set<Role> roles = new java.util.HashSet<>();
            entry.path("roles").forEach(role -> roles.add(Labelled.parse(Role.class, role.asText())));
            grants.add(new CredentialGrant(entry.path("name").asText(), strings(entry.path("users")), roles,
                    strings(entry.path("endpoints")), strings(entry.path("buckets"))));
        }
        return grants;
    }

    private static java.util.Set<String> strings(JsonNode list) {
        java.util.Set<String> values = new java.util.HashSet<>();
        list.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<Resource> world(JsonNode given) {
        List<Resource> world = new ArrayList<>();
        Iterator<String> fields = given.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!field.equals("mode") && !field.equals("credentials") && !field.equals("quotas") && !GIVEN_KINDS.containsKey(field)) {
                throw new IllegalArgumentException("given." + field + ": unknown; given takes mode, credentials and "
                        + String.join(", ", GIVEN_KINDS.keySet()));
            }
        }
        if (!given.has("users")) {
            world.addAll(DEFAULT_USERS);
        }
        for (Map.Entry<String, Class<? extends Resource>> kind : GIVEN_KINDS.entrySet()) {
            int index = 0;
            for (JsonNode entry : given.path(kind.getKey())) {
                String where = "given." + kind.getKey() + "[" + index++ + "]";
                world.add(resource(kind.getValue(), (ObjectNode) entry.deepCopy(), world, where));
            }
        }
        return world;
    }

    private static Resource resource(Class<? extends Resource> type, ObjectNode entry, List<Resource> world,
                                     String where) {
        try {
            if (type == BackupLocation.class) {
                return location(entry);
            }
            if (type == Sync.class) {
                return sync(entry, world);
            }
            if (type == Cluster.class && !entry.has("managed")) {
                entry.put("managed", true);
            }
            return Json.yaml().treeToValue(entry, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static BackupLocation location(ObjectNode entry) {
        return new BackupLocation(entry.path("name").asText(),
                Labelled.parse(BackupLocationState.class, entry.path("state").asText("Valid")),
                Labelled.parse(LocationType.class, entry.path("type").asText("S3")),
                new BucketKey(entry.path("endpoint").asText("http://s3.example"), entry.path("bucket").asText("backups"),
                        entry.path("prefix").asText("")),
                entry.path("region").asText(null), null, entry.path("owner").asText("admin"), null);
    }

    /** A sync's bucket is its location's, unless the scenario spells one out. */
    private static Sync sync(ObjectNode entry, List<Resource> world) {
        String location = entry.path("location").asText();
        BucketKey bucket = entry.has("bucket")
                ? new BucketKey(entry.path("endpoint").asText("http://s3.example"), entry.path("bucket").asText(),
                        entry.path("prefix").asText(""))
                : world.stream().filter(r -> r instanceof BackupLocation && r.name().equals(location))
                        .map(r -> ((BackupLocation) r).bucket()).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("sync of " + location
                                + ": list its location first, or give endpoint, bucket and prefix"));
        return new Sync(location, Labelled.parse(SyncState.class, entry.path("state").asText("Idle")), bucket,
                entry.path("cluster").asText(null), null);
    }

    private static Envelope when(JsonNode when) {
        if (!when.isObject()) {
            throw new IllegalArgumentException("when: expected kind, user and spec");
        }
        ObjectNode document = Json.yaml().createObjectNode();
        document.set("kind", when.get("kind"));
        document.set("spec", when.get("spec"));
        OperationDocument parsed;
        try {
            parsed = OperationDocuments.parseScenario(document);
        } catch (InvalidDocumentException e) {
            throw new IllegalArgumentException("when: " + e.getMessage(), e);
        }
        // the engine's own events come from the engine unless the scenario names someone else (a forgery)
        boolean observation = parsed.event() instanceof Observation;
        boolean enginesOwn = observation || parsed.event() instanceof Request request && request.requiredRole() == Role.ENGINE;
        String user = when.path("user").asText(enginesOwn ? Actor.ENGINE_NAME : "admin");
        Source source = !enginesOwn || !Actor.ENGINE_NAME.equals(user) ? Source.SCENARIO
                : observation ? Source.OBSERVATION : Source.SCHEDULE;
        Instant at = when.has("at") ? Instant.parse(when.get("at").asText()) : DEFAULT_TIME;
        return new Envelope("scenario", user, source, at, parsed.event());
    }

    private static Expectation expectation(JsonNode then) {
        if (!then.isObject() || !then.has("accepted")) {
            throw new IllegalArgumentException("then: 'accepted: true' or 'accepted: false' is required");
        }
        boolean accepted = then.get("accepted").asBoolean();
        // a built-in reason's name, or a code declared in the rules directory's reasons.yaml
        String reason = then.has("reason") ? then.get("reason").asText() : null;
        if (!accepted && reason == null) {
            throw new IllegalArgumentException("then: a rejection names its reason");
        }
        return new Expectation(accepted, reason, text(then, "rule"), text(then, "message"), list(then, "transitions"),
                list(then, "commands"), list(then, "notes"));
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }

    private static List<String> list(JsonNode node, String field) {
        if (!node.has(field)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        node.get(field).forEach(value -> values.add(value.asText()));
        return values;
    }
}
