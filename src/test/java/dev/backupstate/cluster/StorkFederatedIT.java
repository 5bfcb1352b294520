package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.ReplacePolicy;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import dev.backupstate.model.Source;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import dev.backupstate.sandbox.SandboxAgent;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxKubelet;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.StorkBucket;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Federated mode against the faithful sandbox Stork ({@link SandboxAgent}) on two clusters that both
 * reach the bucket (S3Proxy) with their own identity, validated by check Jobs their simulated kubelets
 * run: a backup, a delete through the cluster that took it and through one that did not (Stork's sync
 * brings it there first), a sync that imports, matches and marks missing, a restore on the other
 * cluster by Stork's synced name, and a deletion that survives a restart of the engine.
 */
class StorkFederatedIT {

    private static final String NS = "kube-system";
    private static final String BUCKET = "fleet";

    @TempDir
    Path work;
    private SandboxObjectStore s3;
    private SandboxCluster east;
    private SandboxCluster west;
    private Map<String, String> settings;
    private TestEngine engine;
    private ScheduledExecutorService storks;
    private SandboxAgent eastStork;
    /** Stork on east does its work only while this holds (a Stork that is slow to delete). */
    private final AtomicBoolean eastWorks = new AtomicBoolean(true);

    @BeforeEach
    void start() throws Exception {
        int port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), port);
        s3.createBucket(BUCKET);
        east = cluster("east");
        west = cluster("west");
        var identity = StaticCredentialsProvider.create(AwsBasicCredentials.create(SandboxObjectStore.ACCESS_KEY, SandboxObjectStore.SECRET_KEY));
        eastStork = new SandboxAgent(east, NS, s3.client(), true);
        SandboxAgent westStork = new SandboxAgent(west, NS, s3.client(), true);
        SandboxKubelet eastKubelet = new SandboxKubelet(east, NS, identity);
        SandboxKubelet westKubelet = new SandboxKubelet(west, NS, identity);
        storks = Executors.newSingleThreadScheduledExecutor();
        storks.scheduleWithFixedDelay(() -> {
            if (eastWorks.get()) {
                eastStork.work();
            }
            westStork.work();
            try {
                eastKubelet.work();
                westKubelet.work();
            } catch (RuntimeException e) {
                // a cluster that is down runs nothing
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        settings = Map.of(
                "bse.mode", "Federated",
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "200",
                "bse.clusters.probe-period-millis", "300",
                "bse.clusters.request-timeout-millis", "1000",
                "bse.clusters.agent-timeout-seconds", "3",
                "bse.clusters.agent-report-seconds", "1",
                // the deletion's limit is the rules': 3 s instead of 5 minutes, as ops would edit it
                "bse.rules.directory", dev.backupstate.testing.EditedRules.copy(work.resolve("rules"))
                        .limit("backups.drl", "deletionLimitSeconds", 3).directory());
        engine = TestEngine.start(work.resolve("engine"), settings);
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.AddCluster("west", west.kubeconfig()));
        await().atMost(Duration.ofSeconds(15)).until(() -> clusterActive("east") && clusterActive("west"));
        assertThat(submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + port, "us-east-1", BUCKET, "prod",
                null)).accepted()).isTrue();
        submit(new Request.LinkClusterToLocation("l1", "east"));
        submit(new Request.LinkClusterToLocation("l1", "west"));
        await().atMost(Duration.ofSeconds(15)).until(() -> connection("east") == ConnectionState.VALID && connection("west") == ConnectionState.VALID);
    }

    private static SandboxCluster cluster(String name) {
        SandboxCluster cluster = new SandboxCluster(name);
        cluster.installAgent(NS, "stork", true);
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        return cluster;
    }

    @AfterEach
    void stop() throws Exception {
        storks.shutdownNow();
        engine.close();
        east.close();
        west.close();
        s3.close();
    }

    private Outcome submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    private Optional<Resource> find(ResourceKind kind, String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(kind, name));
    }

    private Backup backup(String name) {
        return (Backup) find(ResourceKind.BACKUP, name).orElseThrow();
    }

    private boolean clusterActive(String name) {
        return find(ResourceKind.CLUSTER, name).map(c -> ((dev.backupstate.model.Cluster) c).state() == ClusterState.ACTIVE).orElse(false);
    }

    private ConnectionState connection(String cluster) {
        return find(ResourceKind.CONNECTION, Connection.nameOf("l1", cluster)).map(c -> ((Connection) c).state()).orElse(null);
    }

    private List<String> keys() {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(o -> o.key()).toList();
    }

    private List<GenericKubernetesResource> applicationBackups(SandboxCluster cluster) {
        return cluster.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).list().getItems();
    }

    /** A backup on east, run by east's Stork to Success: its files are in the bucket in Stork's layout. */
    private void backUpOnEast(String name) {
        assertThat(submit(new Request.CreateBackup(name, "east", "l1", List.of("shop"), null, null, null, null, null)).accepted()).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> backup(name).state() == BackupState.SUCCESS);
        assertThat(keys()).anyMatch(key -> key.matches(NS + "/" + name + "/[0-9a-f-]{36}/metadata\\.json"));
    }

    private void eastGoesDown() {
        east.down();
        await().atMost(Duration.ofSeconds(10)).until(() -> connection("east") == ConnectionState.INVALID);
    }

    @Test
    void should_delete_a_backup_through_the_cluster_that_took_it_as_stork_deletes_data() {
        backUpOnEast("b1");
        GenericKubernetesResource taken = applicationBackups(east).get(0);
        assertThat(taken.getMetadata().getFinalizers()).containsExactly(StorkBackups.FINALIZER_CLEANUP);
        assertThat(FederatedWork.spec(taken).get("reclaimPolicy")).as("the engine's own, until it deletes").isEqualTo("Retain");

        // when
        assertThat(submit(new Request.DeleteBackup("b1", false)).accepted()).isTrue();

        // then: the ApplicationBackup is deleted with reclaimPolicy Delete, Stork's finalizer deletes the files, the object goes
        await().atMost(Duration.ofSeconds(15)).until(() -> find(ResourceKind.BACKUP, "b1").isEmpty());
        assertThat(applicationBackups(east)).isEmpty();
        assertThat(keys()).isEmpty();
    }

    @Test
    void should_keep_a_backup_deleting_while_its_folder_holds_the_data_storks_cleanup_failed_to_delete() {
        backUpOnEast("b6");
        // given: east's Stork lost the bucket (its keys rotated): its cleanup fails, and it lets the object go all the same
        eastStork.bucketAccess(false);

        // when
        assertThat(submit(new Request.DeleteBackup("b6", false)).accepted()).isTrue();

        // then: Stork's object is gone, but the folder, listed as Stork's identity reaches the bucket (a check Job on
        // east), still holds the data: the backup stays Deleting, with the keys named
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(applicationBackups(east)).noneMatch(b -> b.getMetadata().getName().startsWith("b6"));
            assertThat(backup("b6").cause()).contains("keys remain under " + NS + "/b6/");
        });
        assertThat(backup("b6").state()).isEqualTo(BackupState.DELETING);

        // and when someone removes what Stork left, the next look finds the folder empty and the backup goes
        keys().stream().filter(key -> key.startsWith(NS + "/b6/")).forEach(key -> s3.client().deleteObject(b -> b.bucket(BUCKET).key(key)));
        await().atMost(Duration.ofSeconds(15)).until(() -> find(ResourceKind.BACKUP, "b6").isEmpty());
    }

    @Test
    void should_delete_a_backup_taken_on_another_cluster_after_storks_sync_brought_it_there() {
        backUpOnEast("b2");
        eastGoesDown();

        // when: the delete goes to west, which has never seen b2
        assertThat(submit(new Request.DeleteBackup("b2", false)).accepted()).isTrue();

        // then: west is asked to sync, Stork there makes its copy under its own name, and the engine deletes that
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(backup("b2").cause())
                .startsWith("waiting for Stork on cluster west to sync backup b2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> keys().isEmpty());
        // (Stork deletes the files first, then lets its copy go)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(applicationBackups(west)).noneMatch(b -> b.getMetadata().getName().startsWith("b2-")));
        // and while east, down, still holds its ApplicationBackup of b2 (which a sync through east would import
        // again), the deletion is not done, and says why
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(backup("b2").cause()).contains("cluster east cannot be read"));
        assertThat(backup("b2").state()).isEqualTo(BackupState.DELETING);

        // when east is back, its Stork lets go of it, and the deletion is done
        east.up();
        await().atMost(Duration.ofSeconds(20)).until(() -> find(ResourceKind.BACKUP, "b2").isEmpty());
        assertThat(applicationBackups(east)).isEmpty();
    }

    @Test
    void should_sync_on_an_eligible_cluster_from_what_storks_sync_made_there() {
        backUpOnEast("kept");
        backUpOnEast("lost");
        keys().stream().filter(key -> key.startsWith(NS + "/lost/")).forEach(key -> s3.client().deleteObject(b -> b.bucket(BUCKET).key(key)));
        // a backup another Stork took for this location, without the engine: no annotations of ours
        new StorkBucket(s3.client(), BUCKET, NS).write("payroll", "l1", null, "PartialSuccess", List.of("shop"));
        eastGoesDown();

        // when
        assertThat(submit(new Request.TriggerSync("l1")).accepted()).isTrue();

        // then: west syncs; what its Stork made is reconciled under the names users gave
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Sync sync = (Sync) find(ResourceKind.SYNC, "l1").orElseThrow();
            assertThat(sync.state()).as(String.valueOf(sync.cause())).isEqualTo(SyncState.COMPLETED);
            assertThat(sync.cluster()).isEqualTo("west");
        });
        assertThat(backup("payroll").state()).isEqualTo(BackupState.PARTIAL_SUCCESS);
        assertThat(backup("kept").state()).isEqualTo(BackupState.SUCCESS);
        assertThat(backup("lost").state()).isEqualTo(BackupState.CLOUD_BACKUP_MISSING);
        assertThat(applicationBackups(west)).extracting(b -> b.getMetadata().getName())
                .anyMatch(name -> name.matches("kept-\\d{4}-\\d{2}-\\d{2}-\\d{6}")).anyMatch(name -> name.startsWith("payroll-"));
        GenericKubernetesResource location = west.client().genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(NS)
                .withName("l1").get();
        assertThat(location.getAdditionalProperties().get("location")).asString().as("the sync flag is off again").contains("sync=false");
        // and the marker the sync followed Stork's passes by is gone from the bucket and the cluster
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(keys()).noneMatch(key -> key.startsWith(NS + "/bse-sync-"));
            assertThat(applicationBackups(west)).noneMatch(copy -> SyncMarker.of(copy) != null);
        });
    }

    @Test
    void should_restore_on_another_cluster_by_storks_synced_name() {
        backUpOnEast("orders");

        // when
        assertThat(submit(new Request.CreateRestore("orders-west", "orders", "west", ReplacePolicy.RETAIN)).accepted()).isTrue();

        // then: the restore names the copy Stork's sync made on west, and runs
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Restore) find(ResourceKind.RESTORE, "orders-west").orElseThrow()).state()
                == RestoreState.SUCCESS);
        GenericKubernetesResource restore = west.client().genericKubernetesResources(AgentContract.APPLICATION_RESTORE).inNamespace(NS)
                .withName("orders-west").get();
        assertThat(FederatedWork.spec(restore).get("backupName").toString()).matches("orders-\\d{4}-\\d{2}-\\d{2}-\\d{6}");
    }

    @Test
    void should_finish_a_deletion_asked_before_a_restart_and_say_why_it_is_slow() throws Exception {
        backUpOnEast("b3");
        eastWorks.set(false);

        // given: the deletion was asked of east, whose Stork is slow to finish it
        assertThat(submit(new Request.DeleteBackup("b3", false)).accepted()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> "east".equals(backup("b3").deletingOn()));
        // (the cause says so until the rules have asked again: the audit keeps it)
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().store().audit(ResourceRef.of(ResourceKind.BACKUP, "b3"))
                .toString().matches("(?s).*Stork on cluster east has not deleted it within [3-5] s.*"));

        // when: the engine restarts, and Stork gets to it
        engine.close();
        engine = TestEngine.start(work.resolve("engine"), settings);
        assertThat(backup("b3").state()).isEqualTo(BackupState.DELETING);
        eastWorks.set(true);

        // then
        await().atMost(Duration.ofSeconds(15)).until(() -> find(ResourceKind.BACKUP, "b3").isEmpty());
        assertThat(keys()).isEmpty();
    }

    @Test
    void should_remove_the_location_from_every_cluster_when_it_goes() {
        assertThat(east.client().genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(NS).withName("l1").get()).isNotNull();

        // when
        assertThat(submit(new Request.DeleteBackupLocation("l1")).accepted()).isTrue();

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> find(ResourceKind.BACKUP_LOCATION, "l1").isEmpty());
        for (SandboxCluster cluster : List.of(east, west)) {
            assertThat(cluster.client().genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(NS).withName("l1").get())
                    .as(cluster.name()).isNull();
        }
    }
}
