package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.ReplacePolicy;
import dev.backupstate.model.Request;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.sandbox.SandboxAgent;
import dev.backupstate.testing.ClassicFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silence is not success (issue 11, item 8): Stork refuses some backups only with a Warning Event and
 * no status. Here the engine writes its ApplicationBackups to a namespace that is not Stork's admin
 * namespace (a misconfiguration), so the sandbox agent, as Stork's namespaceBackupAllowed does, refuses
 * a backup of another namespace by an Event; the engine reads it and ends the backup Failure with it.
 * From kube-system Stork backs up any namespace, but restores into none but kube-system
 * (namespaceRestoreAllowed has no kube-system exception): the restore fails the same way.
 */
class StorkEventsIT {

    @TempDir
    Path work;
    private ClassicFleet fleet;
    private SandboxAgent agent;

    /**
     * An engine told that Stork's admin namespace is {@code engineNamespace}, on a cluster whose Stork has
     * stork-admin (a misconfiguration); Stork's silence may last a second, as ops would edit the rules.
     */
    private void start(String engineNamespace) throws Exception {
        fleet = new ClassicFleet(work, "kube-system", Map.of(
                "bse.clusters.admin-namespace", engineNamespace,
                "bse.rules.directory", dev.backupstate.testing.EditedRules.copy(work.resolve("rules"))
                        .limit("backups.drl", "silenceLimitSeconds", 1)
                        .limit("restores.drl", "restoreSilenceLimitSeconds", 1).directory(),
                "bse.clusters.unseen-report-seconds", "1",
                "bse.clusters.follow-period-millis", "200"));
        agent = new SandboxAgent(fleet.east, "stork-admin", fleet.s3.client(), true);
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    private Backup backup(String name) {
        return (Backup) fleet.engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP, name)).orElseThrow();
    }

    private Restore restore(String name) {
        return (Restore) fleet.engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.RESTORE, name)).orElseThrow();
    }

    @Test
    void should_end_a_backup_stork_refused_by_an_event_as_failure_with_its_message() throws Exception {
        // given
        start("team-backups");

        // when
        fleet.submit(new Request.CreateBackup("orders", "east", "l1", List.of("shop"), null, null, null, null, null));

        // then: the agent refuses it as Stork does, with no status, and the engine reads why
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            agent.work();
            assertThat(backup("orders").state()).as(String.valueOf(backup("orders").cause())).isEqualTo(BackupState.FAILURE);
        });
        assertThat(backup("orders").cause()).isEqualTo("Stork refused it: Spec.Namespaces should only contain the current namespace");
        assertThat(fleet.east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace("team-backups")
                .withName("orders").get().getAdditionalProperties().get("status")).isNull();
    }

    @Test
    void should_end_a_restore_from_kube_system_stork_refused_as_failure_where_the_backup_was_allowed() throws Exception {
        // given: the engine writes to kube-system, which Stork lets back up any namespace (namespaceBackupAllowed)
        start("kube-system");
        fleet.east.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("shop").endMetadata().build()).create();
        fleet.submit(new Request.CreateBackup("orders", "east", "l1", List.of("shop"), null, null, null, null, null));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            agent.work();
            assertThat(backup("orders").state()).as(String.valueOf(backup("orders").cause())).isEqualTo(BackupState.SUCCESS);
        });

        // when: it is restored; for restores kube-system has no exception (namespaceRestoreAllowed)
        fleet.submit(new Request.CreateRestore("orders-back", "orders", "east", ReplacePolicy.RETAIN, Map.of("shop", "shop-copy")));

        // then
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            agent.work();
            assertThat(restore("orders-back").state()).as(String.valueOf(restore("orders-back").cause())).isEqualTo(RestoreState.FAILURE);
        });
        assertThat(restore("orders-back").cause()).isEqualTo("Stork refused it: Spec.Namespaces should only contain the current namespace");
        assertThat(fleet.east.client().genericKubernetesResources(AgentContract.APPLICATION_RESTORE).inNamespace("kube-system")
                .withName("orders-back").get().getAdditionalProperties().get("status")).isNull();
        assertThat(fleet.east.client().namespaces().withName("shop-copy").get()).as("nothing restored").isNull();
    }
}
