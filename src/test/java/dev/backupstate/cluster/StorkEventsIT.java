package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.sandbox.SandboxAgent;
import dev.backupstate.testing.ClassicFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silence is not success (issue 11, item 8): Stork refuses some backups only with a Warning Event and
 * no status. Here the engine writes its ApplicationBackups to a namespace that is not Stork's admin
 * namespace (a misconfiguration), so the sandbox agent, as Stork's namespaceBackupAllowed does, refuses
 * a backup of another namespace by an Event; the engine reads it and ends the backup Failure with it.
 */
class StorkEventsIT {

    @TempDir
    Path work;
    private ClassicFleet fleet;
    private SandboxAgent agent;

    @BeforeEach
    void start() throws Exception {
        // Stork's admin namespace is stork-admin; the engine is told it is team-backups
        fleet = new ClassicFleet(work, "kube-system", Map.of(
                "bse.clusters.admin-namespace", "team-backups",
                "bse.clusters.silence-limit-seconds", "1",
                "bse.clusters.follow-period-millis", "200"));
        agent = new SandboxAgent(fleet.east, "stork-admin", fleet.s3.client(), true);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private Backup backup(String name) {
        return (Backup) fleet.engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP, name)).orElseThrow();
    }

    @Test
    void should_end_a_backup_stork_refused_by_an_event_as_failure_with_its_message() {
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
}
