package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxAgent;
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
 * Silence is not success (issue 11, item 8): Stork refuses some backups only with a Warning Event and
 * no status. Here the engine writes its ApplicationBackups to a namespace that is not Stork's admin
 * namespace (a misconfiguration), so the sandbox agent, as Stork's namespaceBackupAllowed does, refuses
 * a backup of another namespace by an Event; the engine reads it and ends the backup Failure with it.
 */
class StorkEventsIT {

    @TempDir
    Path work;
    private SandboxCluster east;
    private SandboxObjectStore s3;
    private SandboxAgent agent;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        east = new SandboxCluster("east");
        east.installAgent("kube-system", "stork", true);
        int s3Port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        // Stork's admin namespace is stork-admin; the engine is told it is team-backups
        agent = new SandboxAgent(east, "stork-admin", s3.client(), "backups", "fleet", true);
        engine = TestEngine.start(work, Map.of(
                "bse.clusters.admin-namespace", "team-backups",
                "bse.clusters.silence-limit-seconds", "1",
                "bse.clusters.follow-period-millis", "200",
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.probe-period-millis", "500",
                "bse.clusters.request-timeout-millis", "1000"));
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + s3Port, "us-east-1", "backups", "", "good"));
        await().atMost(Duration.ofSeconds(15)).until(() -> engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.CLUSTER, "east")).map(c -> c.state() == ClusterState.ACTIVE).orElse(false)
                && engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "l1"))
                .map(l -> l.state() == BackupLocationState.VALID).orElse(false));
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

    private Backup backup(String name) {
        return (Backup) engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP, name)).orElseThrow();
    }

    @Test
    void should_end_a_backup_stork_refused_by_an_event_as_failure_with_its_message() {
        // when
        submit(new Request.CreateBackup("orders", "east", "l1", List.of("shop"), null, null, null, null, null));

        // then: the agent refuses it as Stork does, with no status, and the engine reads why
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            agent.work();
            assertThat(backup("orders").state()).as(String.valueOf(backup("orders").cause())).isEqualTo(BackupState.FAILURE);
        });
        assertThat(backup("orders").cause()).isEqualTo("Stork refused it: Spec.Namespaces should only contain the current namespace");
        assertThat(east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace("team-backups")
                .withName("orders").get().getAdditionalProperties().get("status")).isNull();
    }
}
