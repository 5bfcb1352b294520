package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.ReplacePolicy;
import dev.backupstate.model.Request;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.testing.EditedRules;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and restores run on their clusters as ApplicationBackup / ApplicationRestore resources; the
 * test plays each cluster's agent by writing their status, and the engine follows it to the end.
 */
class BackupRunIT {

    private static final String NS = "kube-system";

    @TempDir
    Path work;
    private TestEngine engine;
    private dev.backupstate.sandbox.SandboxObjectStore s3;
    private int s3Port;
    private SandboxCluster east;
    private SandboxCluster west;

    @BeforeEach
    void start() throws Exception {
        east = new SandboxCluster("east");
        west = new SandboxCluster("west");
        east.installAgent(NS, "stork", true);
        west.installAgent(NS, "stork", true);
        s3Port = dev.backupstate.testing.FreePort.find();
        s3 = new dev.backupstate.sandbox.SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        engine = TestEngine.start(work, Map.of(
                "bse.credentials.good", dev.backupstate.sandbox.SandboxObjectStore.ACCESS_KEY + ":"
                        + dev.backupstate.sandbox.SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "200",
                "bse.clusters.probe-period-millis", "500",
                "bse.clusters.request-timeout-millis", "1000",
                "bse.clusters.unseen-report-seconds", "1",
                // the limit is the rules': 2 s instead of 10 minutes, as ops would edit it
                "bse.rules.directory", EditedRules.copy(work.resolve("rules"))
                        .limit("backups.drl", "unseenLimitSeconds", 2).directory()));
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.AddCluster("west", west.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + s3Port, "us-east-1", "backups", "", "good"));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                find(ResourceKind.CLUSTER, "east").state() == ClusterState.ACTIVE && find(ResourceKind.CLUSTER, "west").state() == ClusterState.ACTIVE
                        && find(ResourceKind.BACKUP_LOCATION, "l1").state() == dev.backupstate.model.BackupLocationState.VALID);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        s3.close();
        east.close();
        west.close();
    }

    private Outcome submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    @SuppressWarnings("unchecked")
    private <T extends Resource> T find(ResourceKind kind, String name) {
        return (T) engine.runtime().loop().catalog().find(ResourceRef.of(kind, name)).orElseThrow();
    }

    private static Request.CreateBackup backup(String name, String cluster, String namespace) {
        return new Request.CreateBackup(name, cluster, "l1", List.of(namespace), null, null, "freeze-db", null, null, "app=db");
    }

    private static GenericKubernetesResource created(SandboxCluster cluster, ResourceDefinitionContext kind, String name) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> cluster.client().genericKubernetesResources(kind).inNamespace(NS).withName(name).get(), r -> r != null);
    }

    /** What the agent does: write the resource's status. */
    private static void report(SandboxCluster cluster, ResourceDefinitionContext kind, String name, Map<String, Object> status) {
        cluster.client().genericKubernetesResources(kind).inNamespace(NS).withName(name).edit(r -> {
            r.setAdditionalProperty("status", status);
            return r;
        });
    }

    @Test
    void should_run_a_backup_as_an_application_backup_and_follow_it_to_success() {
        // when
        assertThat(submit(backup("b1", "east", "shop")).accepted()).isTrue();

        // then: the ApplicationBackup carries the backup's spec
        GenericKubernetesResource created = created(east, AgentContract.APPLICATION_BACKUP, "b1");
        assertThat(created.getAdditionalProperties().get("spec")).asString()
                .contains("backupLocation=l1", "namespaces=[shop]", "reclaimPolicy=Retain", "preExecRule=freeze-db", "selectors={app=db}");
        assertThat(created.getMetadata().getLabels()).containsEntry(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY);
        // and the BackupLocation it names is there first, in Stork's shape, its keys in a Secret beside it
        GenericKubernetesResource location = created(east, AgentContract.BACKUP_LOCATION, "l1");
        assertThat(location.getAdditionalProperties().get("location")).asString()
                .contains("type=s3", "path=backups", "endpoint=127.0.0.1:" + s3Port, "disableSSL=true", "secretConfig=backupstate-l1-keys");
        io.fabric8.kubernetes.api.model.Secret keys = east.client().secrets().inNamespace(NS).withName("backupstate-l1-keys").get();
        assertThat(new String(java.util.Base64.getDecoder().decode(keys.getData().get("accessKeyID")), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(dev.backupstate.sandbox.SandboxObjectStore.ACCESS_KEY);
        assertThat(engine.runtime().loop().store().resources().toString()).doesNotContain(dev.backupstate.sandbox.SandboxObjectStore.SECRET_KEY);

        report(east, AgentContract.APPLICATION_BACKUP, "b1", Map.of("status", "InProgress", "stage", "Volumes"));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.<Backup>find(ResourceKind.BACKUP, "b1").state() == BackupState.IN_PROGRESS);
        assertThat(this.<Backup>find(ResourceKind.BACKUP, "b1").cause()).isEqualTo("Volumes");

        report(east, AgentContract.APPLICATION_BACKUP, "b1", Map.of("status", "Successful", "stage", "Final"));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.<Backup>find(ResourceKind.BACKUP, "b1").state() == BackupState.SUCCESS);
    }

    @Test
    void should_end_backups_in_partial_success_and_failure_with_the_agents_reason() {
        submit(backup("partial", "east", "shop"));
        submit(backup("failed", "west", "shop"));
        created(east, AgentContract.APPLICATION_BACKUP, "partial");
        created(west, AgentContract.APPLICATION_BACKUP, "failed");

        report(east, AgentContract.APPLICATION_BACKUP, "partial", Map.of("status", "PartialSuccess", "reason", "volume pvc-3 skipped"));
        report(west, AgentContract.APPLICATION_BACKUP, "failed", Map.of("status", "Failed", "reason", "pre-exec rule freeze-db failed"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Backup partial = find(ResourceKind.BACKUP, "partial");
            Backup failed = find(ResourceKind.BACKUP, "failed");
            assertThat(partial.state()).isEqualTo(BackupState.PARTIAL_SUCCESS);
            assertThat(partial.cause()).isEqualTo("volume pvc-3 skipped");
            assertThat(failed.state()).isEqualTo(BackupState.FAILURE);
            assertThat(failed.cause()).isEqualTo("pre-exec rule freeze-db failed");
        });
    }

    @Test
    void should_fail_a_backup_whose_cluster_vanishes_mid_backup_after_the_timeout() {
        submit(backup("b2", "east", "shop"));
        created(east, AgentContract.APPLICATION_BACKUP, "b2");
        report(east, AgentContract.APPLICATION_BACKUP, "b2", Map.of("status", "InProgress", "stage", "Volumes"));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.<Backup>find(ResourceKind.BACKUP, "b2").state() == BackupState.IN_PROGRESS);

        // when: the cluster goes away mid-backup
        east.down();

        // then: not left hanging
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Backup b2 = find(ResourceKind.BACKUP, "b2");
            assertThat(b2.state()).isEqualTo(BackupState.FAILURE);
            assertThat(b2.cause()).matches("no word for \\d+ s: cluster east cannot be read: cluster down.*");
        });
        // (a group commit applies the catalog before its audit rows are written: the audit follows at once)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(engine.runtime().loop().store()
                .audit(ResourceRef.of(ResourceKind.BACKUP, "b2")).toString()).contains("A running backup out of sight for 10 minutes has Failed"));
    }

    @Test
    void should_run_a_restore_as_an_application_restore_with_its_replace_policy() {
        submit(backup("b3", "east", "shop"));
        created(east, AgentContract.APPLICATION_BACKUP, "b3");
        report(east, AgentContract.APPLICATION_BACKUP, "b3", Map.of("status", "Successful"));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.<Backup>find(ResourceKind.BACKUP, "b3").state() == BackupState.SUCCESS);

        // when: restored onto the other cluster, replacing what is there
        assertThat(submit(new Request.CreateRestore("r1", "b3", "west", ReplacePolicy.DELETE)).accepted()).isTrue();

        // then: west has no b3, so Stork there is asked to sync; the test plays that sync (backupsync.go): a copy
        // under Stork's name for it, keeping the original's annotations
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            GenericKubernetesResource location = west.client().genericKubernetesResources(AgentContract.BACKUP_LOCATION)
                    .inNamespace(NS).withName("l1").get();
            return location != null && location.getAdditionalProperties().get("location").toString().contains("sync=true");
        });
        GenericKubernetesResource copy = east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS)
                .withName("b3").get();
        copy.getMetadata().setName("b3-2026-12-01-010000");
        copy.getMetadata().setUid(null);
        copy.getMetadata().setResourceVersion(null);
        west.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).resource(copy).create();

        GenericKubernetesResource restore = created(west, AgentContract.APPLICATION_RESTORE, "r1");
        assertThat(restore.getAdditionalProperties().get("spec")).asString()
                .contains("backupName=b3-2026-12-01-010000", "replacePolicy=Delete", "namespaceMapping={shop=shop}");
        report(west, AgentContract.APPLICATION_RESTORE, "r1", Map.of("status", "InProgress"));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.<Restore>find(ResourceKind.RESTORE, "r1").state() == RestoreState.IN_PROGRESS);
        report(west, AgentContract.APPLICATION_RESTORE, "r1", Map.of("status", "PartialSuccess", "reason", "2 resources existed"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Restore r1 = find(ResourceKind.RESTORE, "r1");
            assertThat(r1.state()).isEqualTo(RestoreState.PARTIAL_SUCCESS);
            assertThat(r1.cause()).isEqualTo("2 resources existed");
        });
    }
}
