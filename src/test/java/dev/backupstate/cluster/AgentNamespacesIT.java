package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
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
 * Stork's Deployment and Stork's admin namespace are two settings (issue 11, item 9): the Portworx
 * Operator runs Stork in the StorageCluster's namespace, and Stork backs up other namespaces only for
 * ApplicationBackups in its admin namespace.
 */
class AgentNamespacesIT {

    @TempDir
    Path work;
    private SandboxCluster east;
    private SandboxObjectStore s3;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        east = new SandboxCluster("east");
        east.installAgent("portworx", "stork", true);
        int s3Port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        engine = TestEngine.start(work, Map.of(
                "bse.clusters.agent-namespace", "portworx",
                "bse.clusters.admin-namespace", "stork-admin",
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.probe-period-millis", "500",
                "bse.clusters.request-timeout-millis", "1000"));
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + s3Port, "us-east-1", "backups", "", "good"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        s3.close();
        east.close();
    }

    private void submit(Request request) {
        engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", Source.REST, Instant.now(), request));
    }

    @Test
    void should_probe_the_agent_where_it_runs_and_give_it_work_in_its_admin_namespace() {
        // then: the agent is found in portworx, so the cluster is Active
        await().atMost(Duration.ofSeconds(15)).until(() -> engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.CLUSTER, "east")).map(c -> c.state() == ClusterState.ACTIVE).orElse(false)
                && engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "l1"))
                .map(l -> l.state() == BackupLocationState.VALID).orElse(false));

        // when
        submit(new Request.CreateBackup("orders", "east", "l1", List.of("shop"), null, null, null, null, null));

        // then: its ApplicationBackup is in the admin namespace, not beside the Deployment
        await().atMost(Duration.ofSeconds(10)).until(() -> east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                .inNamespace("stork-admin").withName("orders").get() != null);
        assertThat(east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace("portworx").list().getItems())
                .isEmpty();
    }
}
