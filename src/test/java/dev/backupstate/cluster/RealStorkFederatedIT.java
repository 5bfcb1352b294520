package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.AdminDoor;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RealCluster;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Federated mode against the real Stork controller on two real kube-apiservers: the engine never reaches
 * the bucket; each cluster's Stork does, with the cluster's own identity (keys in Stork's environment,
 * the first link of Stork's credential chain for a BackupLocation without keys). The check Jobs that
 * validate a location per cluster are run by the harness, which plays the Job controller and kubelet a
 * bare API server lacks (RealCluster.playJobs). Everything is asked through the REST door.
 */
class RealStorkFederatedIT {

    private static final String TOKEN = "sandbox-admin-token";
    private static final String NS = RealCluster.ADMIN_NAMESPACE;
    private static final String BUCKET = "fleet";

    private static Path work;
    private static SandboxObjectStore s3;
    private static RealCluster east;
    private static RealCluster west;
    private static TestEngine engine;
    private static RestClient rest;
    private static AdminDoor door;
    private static Map<String, String> settings;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("real-stork-federated");
        s3 = new SandboxObjectStore(work.resolve("s3"), FreePort.find());
        s3.createBucket(BUCKET);
        // the clusters' identity: what their pods and their Stork reach the bucket as
        Map<String, String> identity = Map.of("AWS_ACCESS_KEY_ID", SandboxObjectStore.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SandboxObjectStore.SECRET_KEY);
        east = RealCluster.start("east", work);
        east.deployStork(identity);
        east.startStork(identity, s3.endpoint().getPort());
        east.playJobs();
        west = RealCluster.start("west", work);
        west.deployStork(identity);
        west.startStork(identity, s3.endpoint().getPort());
        west.playJobs();
        settings = Map.of(
                "bse.mode", "Federated",
                "bse.outbox.poll-millis", "100",
                "bse.outbox.max-backoff-millis", "3000",
                "bse.clusters.follow-period-millis", "300",
                "bse.clusters.probe-period-millis", "1000");
        engine = TestEngine.start(work.resolve("engine"), settings);
        rest = new RestClient(engine.api());
        door = new AdminDoor(rest, TOKEN, "real-federated-");
        ask("AddCluster", Map.of("name", "east", "kubeconfig", east.engineKubeconfig()));
        ask("AddCluster", Map.of("name", "west", "kubeconfig", west.engineKubeconfig()));
        await().atMost(Duration.ofSeconds(30)).until(() -> state("clusters/east").equals("Active") && state("clusters/west").equals("Active"));
        ask("CreateBackupLocation", Map.of("name", "l1", "endpoint", s3.endpoint().toString(),
                "region", SandboxObjectStore.REGION, "bucket", BUCKET));
        ask("LinkClusterToLocation", Map.of("location", "l1", "cluster", "east"));
        ask("LinkClusterToLocation", Map.of("location", "l1", "cluster", "west"));
        await().atMost(Duration.ofSeconds(30)).until(() -> state("connections/l1:east").equals("Valid")
                && state("connections/l1:west").equals("Valid"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        for (RealCluster cluster : new RealCluster[] {east, west}) {
            if (cluster != null) {
                cluster.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** The engine stops and starts again on the same store; requests after it get ids of their own. */
    private static void restartEngine() throws Exception {
        engine.close();
        engine = TestEngine.start(work.resolve("engine"), settings);
        rest = new RestClient(engine.api());
        door = new AdminDoor(rest, TOKEN, "real-federated-after-restart-");
    }

    private static JsonNode ask(String kind, Map<String, Object> spec) throws Exception {
        return door.ask(kind, spec);
    }

    private static JsonNode get(String path) throws Exception {
        return door.get(path);
    }

    private static String state(String path) throws Exception {
        return door.state(path);
    }

    private static List<String> keys(String prefix) {
        return s3.client().listObjectsV2(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
                .contents().stream().map(S3Object::key).toList();
    }


    private static List<GenericKubernetesResource> applicationBackups(RealCluster cluster) {
        return cluster.admin().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).list().getItems();
    }

    /**
     * One flow, so that the waits for Stork's passes (a minute apart on each cluster) overlap: a sync
     * through east while west restores, and the engine restarted while both wait.
     */
    @Test
    void should_back_up_sync_restore_elsewhere_and_delete_every_copy_storks_sync_made() throws Exception {
        // given: an application on east, backed up there by east's Stork with the cluster's identity
        east.namespace("shop");
        east.admin().configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("orders-cfg")
                .endMetadata().addToData("greeting", "hello").build()).create();
        ask("CreateBackup", Map.of("name", "b1", "cluster", "east", "location", "l1", "namespaces", List.of("shop")));
        // and a backup west's Stork took for l1 without the engine (no annotations of ours): east has it only in the bucket
        west.namespace("ledger");
        west.admin().configMaps().inNamespace("ledger").resource(new ConfigMapBuilder().withNewMetadata().withName("ledger-cfg")
                .endMetadata().addToData("year", "2026").build()).create();
        var westBackups = west.admin().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS);
        westBackups.resource(AgentContract.resource(AgentContract.APPLICATION_BACKUP, NS, "outside",
                Map.of("backupLocation", "l1", "namespaces", List.of("ledger"), "reclaimPolicy", "Retain"))).create();
        await().atMost(Duration.ofSeconds(90)).until(() -> state("backups/b1").equals("Success"));
        assertThat(keys(NS + "/b1/")).anyMatch(key -> key.endsWith("/metadata.json"));
        await().atMost(Duration.ofSeconds(90)).until(() -> "Successful".equals(AgentContract.status(westBackups.withName("outside").get(), "status")));

        // when: l1 is synced, on east (the first eligible cluster by name), and b1 is restored on west, which
        // has it only once Stork's sync there has copied it
        ask("TriggerSync", Map.of("location", "l1"));
        ask("CreateRestore", Map.of("name", "r1", "backup", "b1", "cluster", "west"));
        // and the engine restarts while both wait for Stork
        await().atMost(Duration.ofSeconds(30)).until(() -> keys(NS + "/bse-sync-").size() == 1);
        restartEngine();

        // then: the sync completes only after east's Stork was seen listing l1 (its copy of the sync's marker)
        // and then seen to end that pass (the marker copied again by the next one), not after a fixed time
        await().atMost(Duration.ofSeconds(240)).until(() -> state("syncs/l1").equals("Completed"));
        assertThat(get("syncs/l1").path("cluster").asText()).isEqualTo("east");
        List<String> events = new java.util.ArrayList<>();
        RestClient.json(rest.get(TOKEN, "/audit?resource=syncs/l1&limit=1000")).path("items")
                .forEach(item -> events.add(item.path("eventKind").asText() + " " + item.path("message").asText()));
        assertThat(String.join("\n", events)).as("the sync's history").containsSubsequence("SyncStarted", "SyncPassObserved", "SyncCompleted");
        // and what that pass copied is in the catalog
        assertThat(state("backups/outside")).isEqualTo("Success");
        assertThat(applicationBackups(east)).anyMatch(copy -> copy.getMetadata().getName().matches("outside-\\d{4}-\\d{2}-\\d{2}-\\d{6}"));
        // and nothing of the marker stays: east's Stork deleted it from the bucket, its copies there are gone, the flag is off
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(keys(NS + "/bse-sync-")).isEmpty();
            assertThat(applicationBackups(east)).noneMatch(copy -> SyncMarker.of(copy) != null);
        });
        assertThat(east.admin().genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(NS).withName("l1").get()
                .getAdditionalProperties().get("location")).asString().as("the sync flag is off again").contains("sync=false");

        // and the restore on west ran on Stork's copy there
        await().atMost(Duration.ofSeconds(180)).until(() -> state("restores/r1").equals("Success"));
        assertThat(west.admin().configMaps().inNamespace("shop").withName("orders-cfg").get().getData()).containsEntry("greeting", "hello");
        assertThat(applicationBackups(west)).as("Stork's synced copy, reclaimPolicy Retain")
                .anyMatch(copy -> copy.getMetadata().getName().matches("b1-\\d{4}-\\d{2}-\\d{2}-\\d{6}"));

        // and when the backup is deleted
        ask("DeleteBackup", Map.of("backup", "b1"));

        // then: it leaves the catalog only when the data is gone and no cluster holds an ApplicationBackup of it,
        // not even the copy on west (which a later sync through west would otherwise import again)
        await().atMost(Duration.ofSeconds(60)).until(() -> door.gone("backups/b1"));
        assertThat(keys(NS + "/b1/")).isEmpty();
        assertThat(applicationBackups(east)).noneMatch(b -> b.getMetadata().getName().startsWith("b1"));
        assertThat(applicationBackups(west)).noneMatch(b -> b.getMetadata().getName().startsWith("b1"));
    }

    @Test
    void should_call_a_location_invalid_where_storks_own_credential_chain_finds_no_keys() throws Exception {
        // given: a cluster whose Stork has no keys in its environment (its pods might have a web identity,
        // which the pinned Stork does not read; here there is no EC2 role or shared file either)
        try (RealCluster north = RealCluster.start("north", work)) {
            north.deployStork(Map.of());
            north.startStork(s3.endpoint().getPort());
            north.playJobs();
            ask("AddCluster", Map.of("name", "north", "kubeconfig", north.engineKubeconfig()));
            await().atMost(Duration.ofSeconds(30)).until(() -> state("clusters/north").equals("Active"));

            // when
            ask("LinkClusterToLocation", Map.of("location", "l1", "cluster", "north"));

            // then: the check, run as Stork would reach the bucket, finds no credentials
            await().atMost(Duration.ofSeconds(30)).until(() -> state("connections/l1:north").equals("Invalid"));
            assertThat(get("connections/l1:north").path("cause").asText()).contains("Unable to load credentials");
            // and the real Stork there fails a backup to that location in the same way: the verdict predicts it
            north.namespace("probe");
            GenericKubernetesResource direct = AgentContract.resource(AgentContract.APPLICATION_BACKUP, NS, "direct",
                    Map.of("backupLocation", "l1", "namespaces", List.of("probe"), "reclaimPolicy", "Delete"));
            north.admin().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).resource(direct).create();
            await().atMost(Duration.ofSeconds(90)).until(() -> "Failed".equals(AgentContract.status(north.admin()
                    .genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).withName("direct").get(), "status")));

            // (north leaves the fleet with the test)
            ask("RemoveCluster", Map.of("name", "north"));
            await().atMost(Duration.ofSeconds(30)).until(() -> door.gone("clusters/north"));
        }
    }
}
