package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Request;
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
 * Stork's Deployment and Stork's admin namespace are two settings (issue 11, item 9): the Portworx
 * Operator runs Stork in the StorageCluster's namespace, and Stork backs up other namespaces only for
 * ApplicationBackups in its admin namespace.
 */
class AgentNamespacesIT {

    @TempDir
    Path work;
    private ClassicFleet fleet;

    @BeforeEach
    void start() throws Exception {
        // given: the agent runs in portworx; east is Active only if the probe looks there
        fleet = new ClassicFleet(work, "portworx", Map.of(
                "bse.clusters.agent-namespace", "portworx",
                "bse.clusters.admin-namespace", "stork-admin"));
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    @Test
    void should_probe_the_agent_where_it_runs_and_give_it_work_in_its_admin_namespace() {
        // when
        fleet.submit(new Request.CreateBackup("orders", "east", "l1", List.of("shop"), null, null, null, null, null));

        // then: its ApplicationBackup is in the admin namespace, not beside the Deployment
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                .inNamespace("stork-admin").withName("orders").get() != null);
        assertThat(fleet.east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace("portworx").list().getItems())
                .isEmpty();
    }
}
