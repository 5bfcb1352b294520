package dev.backupstate.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.Observation;
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
                {"apiVersion": "backupstate.dev/v1", "kind": "BackupProgressed",
                 "spec": {"backup": "b1", "status": "partial-success"}}
                """);
        assertThat(((Observation.BackupProgressed) document.event()).status()).isEqualTo(BackupStatus.PARTIAL_SUCCESS);
        Request.ShareBackup share = (Request.ShareBackup) OperationDocuments.parse(
                "kind: ShareBackup\nspec: {backup: b1, user: bob, access: FULL_ACCESS}").event();
        assertThat(share.access()).isEqualTo(ShareAccess.FULL_ACCESS);
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
                Arguments.of("malformed YAML", "kind: DeleteBackup\nspec: {backup: [b1", null, "malformed YAML/JSON at line"),
                Arguments.of("not a mapping", "- just\n- a list", null, "a document is a mapping"),
                Arguments.of("unknown kind", "kind: DeleteEverything\nspec: {}", "kind", "unknown kind 'DeleteEverything'"),
                Arguments.of("missing kind", "spec: {backup: b1}", "kind", "is required"),
                Arguments.of("wrong apiVersion", "apiVersion: v2\nkind: DeleteBackup\nspec: {backup: b1}", "apiVersion", "is not backupstate.dev/v1"),
                Arguments.of("missing spec", "kind: DeleteBackup", "spec", "is required"),
                Arguments.of("missing field", "kind: DeleteBackup\nspec: {force: true}", "spec.backup", "is required"),
                Arguments.of("unknown field", "kind: DeleteBackup\nspec: {backup: b1, forse: true}", "spec.forse", "unknown field"),
                Arguments.of("wrong type", "kind: DeleteBackup\nspec: {backup: b1, force: [yes]}", "spec.force", ""),
                Arguments.of("bad state", "kind: ClusterProbed\nspec: {cluster: c1, observed: Sleeping}", "spec.observed", "expected one of Pending, Active"),
                Arguments.of("bad name", "kind: AddCluster\nspec: {name: 'Prod Cluster', kubeconfig: k}", "spec.name", "is not a valid name"),
                Arguments.of("short discovery period", "kind: CreateDiscoveryConfig\nspec: {name: d, project: p, kubeconfig: k, periodMinutes: 5}", "spec.periodMinutes", "below the minimum of 15"),
                Arguments.of("bad time", "kind: CreateSchedulePolicy\nspec: {name: p, type: daily, time: '25:99'}", "spec.time", "is not a time of day"),
                Arguments.of("bad relative day", "kind: CreateSchedulePolicy\nspec: {name: p, type: monthly, relativeDay: 'some Friday', time: '01:00'}", "spec.relativeDay", "is not like"),
                Arguments.of("unknown time zone", "kind: CreateSchedulePolicy\nspec: {name: p, type: daily, time: '01:00', timeZone: Mars/Olympus}", "spec.timeZone", "is not a time zone"),
                Arguments.of("label selector not key=value", "kind: CreateBackup\nspec: {name: b1, cluster: c1, location: l1, labelSelector: 'app in (db)'}", "spec.labelSelector", "is not a list of key=value labels"),
                Arguments.of("metadata not a mapping", "kind: DeleteBackup\nmetadata: alice\nspec: {backup: b1}", "metadata", "must be a mapping"));
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
