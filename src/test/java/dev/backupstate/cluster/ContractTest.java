package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.inbox.Json;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.ReplacePolicy;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract test (issue 11, item 1): every field of every Stork object the engine builds exists in
 * Stork's Go types with a value they allow, as src/test/resources/contract/stork-v1alpha1.fields lists
 * them (read from the commit in {@link AgentContract#STORK_SOURCE}). Stork's CRDs carry no schema and
 * its decoder drops unknown fields without a word, so this is the only place such a mistake shows.
 * Covered so far: ApplicationBackup (namespaces, selector, exec rules, VM, incremental),
 * ApplicationRestore, and the BackupLocation in both modes (Classic with its Secret, Federated with
 * useIam), a restore naming Stork's synced copy, a deletion (the object as read back, reclaimPolicy
 * Delete); and every field {@link StorkBackups} reads back.
 */
class ContractTest {

    private static final String NS = "kube-system";
    private static final Instant AT = Instant.parse("2026-12-01T01:00:00Z");

    static Stream<Arguments> objects() {
        Backup plain = new Backup("orders", BackupState.PENDING, "east", "l1", "alice", null, null, AT, List.of("shop"), null,
                BackupMethod.SNAPSHOT, null, null, null, "app=db,tier=backend");
        Backup vm = new Backup("vm-db", BackupState.PENDING, "east", "l1", "alice", null, null, AT, List.of(), "shop/db",
                BackupMethod.SNAPSHOT, "freeze-db", "thaw-db", null);
        Backup incremental = new Backup("orders-2", BackupState.PENDING, "east", "l1", "alice", null, "orders", AT, List.of("shop"),
                null, BackupMethod.SNAPSHOT, null, null, null);
        Restore restore = new Restore("orders-back", RestoreState.PENDING, "orders", "west", ReplacePolicy.DELETE, "alice", null);
        Restore vmRestore = new Restore("vm-back", RestoreState.PENDING, "vm-db", "east", ReplacePolicy.RETAIN, "alice", null);
        BackupLocation classic = new BackupLocation("l1", BackupLocationState.VALID, LocationType.S3,
                new BucketKey("http://minio.backup:9000", "nightly", "team-a"), "eu-1", "team-a-keys", "admin", null);
        return Stream.of(
                Arguments.of("a Classic location", StorkLocations.backupLocation(classic, NS, StorkLocations.secretName(classic))),
                Arguments.of("a Federated location, asked to sync", StorkLocations.federatedLocation(classic, NS, true)),
                Arguments.of("a Classic location's keys", Json.json().convertValue(StorkLocations.secret(classic, NS, "k",
                        AwsBasicCredentials.create("AKIA", "s3cr3t")), GenericKubernetesResource.class)),
                Arguments.of("a namespace backup with a label selector", StorkObjects.applicationBackup(plain, NS, "Retain")),
                Arguments.of("a VM backup with its own exec rules", StorkObjects.applicationBackup(vm, NS, "Delete")),
                Arguments.of("an incremental backup", StorkObjects.applicationBackup(incremental, NS, "Retain")),
                Arguments.of("a KDMP backup", StorkObjects.applicationBackup(new Backup("orders-k", BackupState.PENDING, "east", "l1",
                        "alice", null, null, AT, List.of("shop"), null, BackupMethod.KDMP, null, null, null), NS, "Retain")),
                Arguments.of("a restore on another cluster, of Stork's synced copy",
                        StorkObjects.applicationRestore(restore, Optional.of(plain), NS, "orders-2026-12-01-010000")),
                Arguments.of("a VM restore", StorkObjects.applicationRestore(vmRestore, Optional.of(vm), NS, "vm-db")),
                Arguments.of("a deletion: the object as Stork left it, with reclaimPolicy Delete", asStorkLeftIt(plain)),
                Arguments.of("a sync's marker, the metadata.json Stork's sync reads into an ApplicationBackup",
                        Json.json().convertValue(readTree(SyncMarker.metadata(NS, "bse-sync-0123456789abcdef", "l1", AT)),
                                GenericKubernetesResource.class)));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) {
        try {
            return Json.json().readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An ApplicationBackup after Stork ran it, as the engine reads it back and updates it to delete it. */
    private static GenericKubernetesResource asStorkLeftIt(Backup backup) {
        GenericKubernetesResource object = StorkObjects.applicationBackup(backup, NS, "Delete");
        object.getMetadata().setUid("0c3f6c1e-2c55-4ad6-9f0e-6a4c0bb2d2a1");
        object.getMetadata().setResourceVersion("7");
        object.getMetadata().setCreationTimestamp("2026-12-01T01:00:00Z");
        object.getMetadata().setFinalizers(List.of(StorkBackups.FINALIZER_CLEANUP));
        object.setAdditionalProperty("status", Map.of("status", "Successful", "stage", "Final",
                "reason", "Volumes and resources were backed up successfully", "triggerTimestamp", "2026-12-01T01:00:00Z",
                "backupPath", NS + "/orders/0c3f6c1e-2c55-4ad6-9f0e-6a4c0bb2d2a1", "finishTimestamp", "2026-12-01T01:02:00Z"));
        return object;
    }

    @Test
    void should_ask_stork_for_its_generic_data_mover_for_a_kdmp_backup() {
        Backup kdmp = new Backup("orders-k", BackupState.PENDING, "east", "l1", "alice", null, null, AT, List.of("shop"), null,
                BackupMethod.KDMP, null, null, null);
        Backup snapshot = new Backup("orders-s", BackupState.PENDING, "east", "l1", "alice", null, null, AT, List.of("shop"), null,
                BackupMethod.SNAPSHOT, null, null, null);
        assertThat(spec(StorkObjects.applicationBackup(kdmp, NS, "Retain"))).containsEntry("backupType", "Generic");
        assertThat(spec(StorkObjects.applicationBackup(snapshot, NS, "Retain"))).doesNotContainKey("backupType");
    }

    @Test
    void should_read_only_fields_stork_defines() throws IOException {
        Map<String, Set<String>> contract = contract();

        assertThat(StorkBackups.READS).allSatisfy(path -> assertThat(allowed("ApplicationBackup", path, contract))
                .as("ApplicationBackup " + path).isNotNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void should_write_only_fields_stork_defines_with_values_it_allows(String what, GenericKubernetesResource object) throws IOException {
        assertThat(violations(object, contract())).as(what).isEmpty();
    }

    @Test
    void should_write_a_classic_location_as_stork_reads_it() {
        BackupLocation classic = new BackupLocation("l1", BackupLocationState.VALID, LocationType.S3,
                new BucketKey("http://minio.backup:9000", "nightly", "team-a"), null, "team-a-keys", "admin", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> location = (Map<String, Object>) StorkLocations.backupLocation(classic, NS, "backupstate-l1-keys")
                .getAdditionalProperties().get("location");

        assertThat(location).containsEntry("type", "s3").containsEntry("path", "nightly")
                .containsEntry("secretConfig", "backupstate-l1-keys").containsEntry("sync", false);
        assertThat(location.get("s3Config")).isEqualTo(Map.of("endpoint", "minio.backup:9000", "region", "us-east-1", "disableSSL", true));
    }

    @Test
    void should_write_a_vm_backup_as_storks_controller_validates_it() {
        Backup vm = new Backup("vm-db", BackupState.PENDING, "east", "l1", "alice", null, null, AT, List.of(), "shop/db",
                BackupMethod.SNAPSHOT, "freeze-db", null, null);
        Map<String, Object> spec = spec(StorkObjects.applicationBackup(vm, NS, "Retain"));

        assertThat(spec).containsEntry("backupObjectType", "VirtualMachine").containsEntry("skipAutoExecRules", true)
                .containsEntry("namespaces", List.of("shop"));
        assertThat(spec.get("includeResources")).isEqualTo(List.of(Map.of("name", "db", "namespace", "shop",
                "group", "kubevirt.io", "version", "v1", "kind", "VirtualMachine")));
        assertThat(dev.backupstate.sandbox.SandboxAgent.invalidParameters(spec)).isNull();
    }

    @Test
    void should_catch_a_field_stork_does_not_have_and_a_value_it_does_not_allow() throws IOException {
        // the test fails the build on a renamed field: shown here on purpose
        Backup plain = new Backup("orders", BackupState.PENDING, "east", "l1", "alice", null, null, AT, List.of("shop"), null,
                BackupMethod.SNAPSHOT, null, null, null);
        GenericKubernetesResource renamed = StorkObjects.applicationBackup(plain, NS, "Retain");
        spec(renamed).put("backupLocationName", spec(renamed).remove("backupLocation"));
        GenericKubernetesResource badValue = StorkObjects.applicationBackup(plain, NS, "Keep");

        assertThat(violations(renamed, contract())).containsExactly("ApplicationBackup spec.backupLocationName: no such field in Stork");
        assertThat(violations(badValue, contract())).containsExactly("ApplicationBackup spec.reclaimPolicy: 'Keep' is not one of Delete|Retain");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    /** KIND|PATH -> allowed values (empty: any). */
    private static Map<String, Set<String>> contract() throws IOException {
        Map<String, Set<String>> fields = new HashMap<>();
        try (InputStream in = ContractTest.class.getResourceAsStream("/contract/stork-v1alpha1.fields")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+", 2);
                String[] path = parts[1].split("\\s*=\\s*", 2);
                fields.put(parts[0] + "|" + path[0], path.length == 2 ? Set.of(path[1].split("\\|")) : Set.of());
            }
        }
        return fields;
    }

    /** Every leaf of the object as the API server would receive it, held to the contract. */
    @SuppressWarnings("unchecked")
    private static List<String> violations(GenericKubernetesResource object, Map<String, Set<String>> contract) {
        Map<String, Object> tree = Json.json().convertValue(object, LinkedHashMap.class);
        List<String> problems = new ArrayList<>();
        walk(object.getKind(), "", tree, contract, problems);
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static void walk(String kind, String path, Object value, Map<String, Set<String>> contract, List<String> problems) {
        if (value instanceof Map<?, ?> map) {
            Set<String> allowed = allowed(kind, path + "{}", contract);
            if (allowed != null && !path.isEmpty()) {
                map.values().forEach(v -> check(kind, path + "{}", v, allowed, problems));
                return;
            }
            ((Map<String, Object>) map).forEach((key, v) -> walk(kind, path.isEmpty() ? key : path + "." + key, v, contract, problems));
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                walk(kind, path + "[]", item, contract, problems);
            }
        } else {
            Set<String> allowed = allowed(kind, path, contract);
            if (allowed == null) {
                problems.add(kind + " " + path + ": no such field in Stork");
            } else {
                check(kind, path, value, allowed, problems);
            }
        }
    }

    private static Set<String> allowed(String kind, String path, Map<String, Set<String>> contract) {
        Set<String> allowed = contract.get(kind + "|" + path);
        return allowed != null ? allowed : contract.get("*|" + path);
    }

    private static void check(String kind, String path, Object value, Set<String> allowed, List<String> problems) {
        if (!allowed.isEmpty() && !allowed.contains(String.valueOf(value))) {
            problems.add(kind + " " + path + ": '" + value + "' is not one of " + String.join("|", new java.util.TreeSet<>(allowed)));
        }
    }
}
