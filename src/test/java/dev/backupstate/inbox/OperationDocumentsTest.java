package dev.backupstate.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backupstate.model.Role;
import dev.backupstate.model.UserState;
import dev.backupstate.model.PolicyType;
import dev.backupstate.model.Request;
import dev.backupstate.model.ShareAccess;
import java.time.DayOfWeek;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Operation documents: read whole, or refused naming the field. */
class OperationDocumentsTest {

    @Test
    void should_read_the_design_example() {
        OperationDocument document = OperationDocuments.parse("""
                apiVersion: backupstate.dev/v1
                kind: DeleteBackup
                metadata: { requestId: 2f1c7a4e, user: alice }
                spec: { backup: orders-nightly-20261122, force: true }
                """);
        assertThat(document.requestId()).isEqualTo("2f1c7a4e");
        assertThat(document.user()).isEqualTo("alice");
        assertThat(document.event()).isEqualTo(new Request.DeleteBackup("orders-nightly-20261122", true));
    }

    @Test
    void should_read_json_and_labels_in_any_spelling() {
        OperationDocument document = OperationDocuments.parse("""
                {"apiVersion": "backupstate.dev/v1", "kind": "SetUserState",
                 "spec": {"user": "bob", "state": "ACTIVE", "role": "Viewer"}}
                """);
        assertThat(((Request.SetUserState) document.event()).state()).isEqualTo(UserState.ACTIVE);
        assertThat(((Request.SetUserState) document.event()).role()).isEqualTo(Role.VIEWER);
        Request.ShareBackup share = (Request.ShareBackup) OperationDocuments.parse(
                "kind: ShareBackup\nspec: {backup: b1, user: bob, access: FULL_ACCESS}").event();
        assertThat(share.access()).isEqualTo(ShareAccess.FULL_ACCESS);
    }

    @Test
    void should_refuse_text_that_could_steer_a_terminal_or_forge_a_line_naming_the_field() {
        var region = catchThrowableOfType(() -> OperationDocuments.parse(
                "kind: CreateBackupLocation\nspec: {name: l1, endpoint: 'https://s3.example', bucket: b1, region: \"eu\\e[2J\\nstate: Valid\"}"),
                InvalidDocumentException.class);
        var rule = catchThrowableOfType(() -> OperationDocuments.parse(
                "kind: CreateBackup\nspec: {name: b1, cluster: c1, location: l1, preExecRule: \"freeze\\r\\nok\"}"),
                InvalidDocumentException.class);
        var runName = catchThrowableOfType(() -> OperationDocuments.parse(
                "kind: CreateBackup\nspec: {name: db-20261201-020000, cluster: c1, location: l1}"), InvalidDocumentException.class);

        assertThat(region.field()).isEqualTo("spec.region");
        assertThat(region.getMessage()).contains("\\u001b").doesNotContain("\u001b");
        assertThat(rule.field()).isEqualTo("spec.preExecRule");
        assertThat(runName.field()).isEqualTo("spec.name");
        assertThat(runName.getMessage()).contains("kept for schedules");
    }

    @Test
    void should_take_credentials_by_name_or_by_secret_or_environment_reference() {
        for (String credentials : java.util.List.of("team-a", "secret:backup/minio-keys", "env:TEAM_A")) {
            Request.CreateBackupLocation location = (Request.CreateBackupLocation) OperationDocuments.parse(
                    "kind: CreateBackupLocation\nspec: {name: l1, endpoint: 'https://s3.example', bucket: b1, credentials: '"
                            + credentials + "'}").event();
            assertThat(location.credentials()).isEqualTo(credentials);
        }
        assertThatThrownBy(() -> OperationDocuments.parse("kind: CreateBackupLocation\nspec: {name: l1, endpoint: 'https://s3.example', "
                + "bucket: b1, credentials: 'file:/etc/passwd'}")).hasMessageContaining("spec.credentials");
    }

    @Test
    void should_refuse_a_vm_backup_that_lists_another_namespace() {
        // Stork backs up every VM of each namespace a VirtualMachine backup lists
        assertThatThrownBy(() -> OperationDocuments.parse("kind: CreateBackup\nspec: {name: b1, cluster: c1, location: l1, "
                + "virtualMachine: apps/web, namespaces: [apps, billing]}")).hasMessageContaining("spec.namespaces")
                .hasMessageContaining("backs up that VM only");
        Request.CreateBackup own = (Request.CreateBackup) OperationDocuments.parse("kind: CreateBackup\nspec: {name: b1, cluster: c1, "
                + "location: l1, virtualMachine: apps/web, namespaces: [apps]}").event();
        assertThat(own.namespaces()).containsExactly("apps");
    }

    @Test
    void should_refuse_a_namespace_mapping_that_names_no_namespace() {
        for (String bad : new String[] {"'../etc'", "Shop", "'a b'", "''"}) {
            assertThatThrownBy(() -> OperationDocuments.parse("kind: CreateRestore\nspec: {name: r1, backup: b1, cluster: c1, "
                    + "namespaceMapping: {shop: " + bad + "}}")).as(bad).hasMessageContaining("spec.namespaceMapping")
                    .hasMessageContaining("is not a namespace name");
        }
        Request.CreateRestore mapped = (Request.CreateRestore) OperationDocuments.parse("kind: CreateRestore\nspec: {name: r1, "
                + "backup: b1, cluster: c1, namespaceMapping: {shop: shop-copy}}").event();
        assertThat(mapped.namespaceMapping()).containsEntry("shop", "shop-copy");
    }

    @Test
    void should_default_a_policy_retain_count_by_type() {
        Request.CreateSchedulePolicy policy = (Request.CreateSchedulePolicy) OperationDocuments.parse(
                "kind: CreateSchedulePolicy\nspec: {name: w, type: weekly, days: [Monday, friday], time: '01:30'}").event();
        assertThat(policy.type()).isEqualTo(PolicyType.WEEKLY);
        assertThat(policy.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        assertThat(policy.retain()).isEqualTo(5);
    }

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                Arguments.of("malformed YAML", "kind: DeleteBackup\nspec: {backup: [b1", null, "malformed YAML at line"),
                Arguments.of("not a mapping", "- just\n- a list", null, "a document is a mapping"),
                Arguments.of("unknown kind", "kind: DeleteEverything\nspec: {}", "kind", "unknown kind 'DeleteEverything'"),
                Arguments.of("missing kind", "spec: {backup: b1}", "kind", "is required"),
                Arguments.of("wrong apiVersion", "apiVersion: v2\nkind: DeleteBackup\nspec: {backup: b1}", "apiVersion", "is not backupstate.dev/v1"),
                Arguments.of("missing spec", "kind: DeleteBackup", "spec", "is required"),
                Arguments.of("missing field", "kind: DeleteBackup\nspec: {force: true}", "spec.backup", "is required"),
                Arguments.of("unknown field", "kind: DeleteBackup\nspec: {backup: b1, forse: true}", "spec.forse", "unknown field"),
                Arguments.of("wrong type", "kind: DeleteBackup\nspec: {backup: b1, force: [yes]}", "spec.force", ""),
                Arguments.of("bad state", "kind: SetUserState\nspec: {user: u1, state: Sleeping}", "spec.state", "expected one of Active, Inactive"),
                Arguments.of("bad name", "kind: AddCluster\nspec: {name: 'Prod Cluster', kubeconfig: k}", "spec.name", "is not a valid name"),
                Arguments.of("short discovery period", "kind: CreateDiscoveryConfig\nspec: {name: d, project: p, kubeconfig: k, periodMinutes: 5}", "spec.periodMinutes", "below the minimum of 15"),
                Arguments.of("bad time", "kind: CreateSchedulePolicy\nspec: {name: p, type: daily, time: '25:99'}", "spec.time", "is not a time of day"),
                Arguments.of("bad relative day", "kind: CreateSchedulePolicy\nspec: {name: p, type: monthly, relativeDay: 'some Friday', time: '01:00'}", "spec.relativeDay", "is not like"),
                Arguments.of("unknown time zone", "kind: CreateSchedulePolicy\nspec: {name: p, type: daily, time: '01:00', timeZone: Mars/Olympus}", "spec.timeZone", "is not a time zone"),
                Arguments.of("label selector not key=value", "kind: CreateBackup\nspec: {name: b1, cluster: c1, location: l1, labelSelector: 'app in (db)'}", "spec.labelSelector", "is not a list of key=value labels"),
                Arguments.of("metadata not a mapping", "kind: DeleteBackup\nmetadata: alice\nspec: {backup: b1}", "metadata", "must be a mapping"),
                // a parser that guesses nothing (issue 10, finding 8)
                Arguments.of("duplicate key", "kind: DeleteBackup\nspec: {backup: b1, backup: b2}", "spec.backup", "duplicate key 'backup'"),
                Arguments.of("duplicate kind", "kind: CreateBackup\nkind: DeleteBackup\nspec: {backup: b1}", "kind", "duplicate key 'kind'"),
                Arguments.of("duplicate key in JSON", "{\"kind\": \"DeleteBackup\", \"kind\": \"CreateBackup\", \"spec\": {}}", null, "duplicate key"),
                Arguments.of("unknown top-level field", "kind: DeleteBackup\nstatus: {}\nspec: {backup: b1}", "status", "unknown field"),
                Arguments.of("unknown metadata field", "kind: DeleteBackup\nmetadata: {owner: admin}\nspec: {backup: b1}", "metadata.owner", "unknown field"),
                Arguments.of("a Java type tag", "kind: DeleteBackup\nspec: {backup: !!java.net.URL [http://x]}", "spec.backup", "YAML tags"),
                Arguments.of("an object tag", "kind: DeleteBackup\nspec: !!java/object:java.lang.Object {}", "spec", "YAML tags"),
                Arguments.of("an anchor", "kind: DeleteBackup\nspec: &s {backup: b1}", "spec", "YAML anchors"),
                Arguments.of("an alias", "kind: ShareBackup\nmetadata: {user: &u alice}\nspec: {backup: b1, user: *u, access: View}", "metadata.user", "YAML anchors"),
                Arguments.of("a number for a string", "kind: DeleteBackup\nspec: {backup: 5}", "spec.backup", ""),
                Arguments.of("a string for a number", "kind: CreateDiscoveryConfig\nspec: {name: d, project: p, kubeconfig: k, periodMinutes: '60'}", "spec.periodMinutes", ""),
                Arguments.of("a fraction for a whole number", "kind: CreateDiscoveryConfig\nspec: {name: d, project: p, kubeconfig: k, periodMinutes: 60.5}", "spec.periodMinutes", ""),
                Arguments.of("a number for a boolean", "kind: DeleteBackup\nspec: {backup: b1, force: 1}", "spec.force", ""),
                Arguments.of("a string for a list", "kind: CreateBackup\nspec: {name: b1, cluster: c1, location: l1, namespaces: shop}", "spec.namespaces", "expected a list ([a, b]), not a single value"),
                Arguments.of("a list for a text", "kind: DeleteBackup\nspec: {backup: [b1]}", "spec.backup", "expected a text"),
                Arguments.of("a name with spaces around it", "kind: DeleteBackup\nspec: {backup: ' b1 '}", "spec.backup", "is not a valid name"),
                Arguments.of("a name with a line break", "kind: DeleteBackup\nspec: {backup: \"b1\\n\"}", "spec.backup", "'b1\\u000a' is not a valid name"),
                Arguments.of("a name with two dots in a row", "kind: DeleteBackup\nspec: {backup: x..y}", "spec.backup", "is not a valid name"),
                Arguments.of("a prefix climbing out", "kind: CreateBackupLocation\nspec: {name: l1, endpoint: 'http://s3', bucket: b, prefix: '../../x/..'}", "spec.prefix", "is not a path of folder names"),
                Arguments.of("a prefix from the root", "kind: CreateBackupLocation\nspec: {name: l1, endpoint: 'http://s3', bucket: b, prefix: '/team'}", "spec.prefix", "is not a path of folder names"),
                Arguments.of("an endpoint with a user", "kind: CreateBackupLocation\nspec: {name: l1, endpoint: 'http://me@s3', bucket: b}", "spec.endpoint", "is not an object store endpoint"),
                Arguments.of("a numeric request id", "kind: DeleteBackup\nmetadata: {requestId: 1e400}\nspec: {backup: b1}", "metadata.requestId", "must be a string"),
                Arguments.of("an observation", "kind: ClusterProbed\nspec: {cluster: c1, observed: Active}", "kind", "only the engine reports observations"),
                Arguments.of("a schedule fire", "kind: ScheduleTriggered\nspec: {schedule: s, backup: b, firedAt: '2026-01-01T00:00:00Z'}", "kind", "the engine's own event"),
                Arguments.of("two documents", "kind: DeleteBackup\nspec: {backup: b1}\n---\nkind: DeleteBackup\nspec: {backup: b2}", null, "a second document"),
                Arguments.of("the engine's name for a user", "kind: SetUserState\nspec: {user: engine, state: Active}", "spec.user", "the engine's own name"));
    }

    @Test
    void should_refuse_what_is_not_utf8_too_large_or_too_deep() {
        DocumentReader reader = new DocumentReader(1_000, 32);
        assertThatThrownBy(() -> reader.read(new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xC3, (byte) 0x28}))
                .hasMessageContaining("not UTF-8 text");
        assertThatThrownBy(() -> reader.read(("kind: DeleteBackup\nspec: {backup: " + "b".repeat(1_000) + "}").getBytes()))
                .isInstanceOf(DocumentTooLargeException.class).hasMessageContaining("the limit is 1000 (bse.documents.max-bytes)");
        DocumentReader roomy = new DocumentReader(1_000_000, 32);
        String deepYaml = "kind: DeleteBackup\nspec: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThatThrownBy(() -> roomy.read(deepYaml.getBytes())).hasMessageContaining("nested deeper than 32 levels");
        String deepJson = "{\"kind\": \"DeleteBackup\", \"spec\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> roomy.read(deepJson.getBytes())).hasMessageContaining("nested deeper than 32 levels");
        assertThatThrownBy(() -> roomy.read(new byte[0])).hasMessageContaining("the document is empty");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void should_refuse_bad_input_naming_the_problem(String what, String text, String field, String message) {
        assertThatThrownBy(() -> OperationDocuments.parse(text))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidDocumentException) e).field()).isEqualTo(field));
    }

    @Test
    void should_know_every_operation_kind_of_the_design() {
        assertThat(OperationDocuments.kinds().keySet()).contains("CreateBackupLocation", "ValidateBackupLocation",
                "DeleteBackupLocation", "AddCluster", "RemoveCluster", "LinkClusterToLocation", "CreateSchedulePolicy",
                "CreateSchedule", "SuspendSchedule", "ResumeSchedule", "DeleteSchedule", "CreateBackup", "DeleteBackup",
                "CreateRestore", "ShareBackup", "TriggerSync", "CreateDiscoveryConfig", "DiscoverClusters",
                "RefreshClusters", "SetUserState");
    }
}
