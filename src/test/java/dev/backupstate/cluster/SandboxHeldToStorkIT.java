package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.sandbox.SandboxAgent;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.AdminDoor;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RealCluster;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The sandbox's Stork held to the real one: the same scenario, through the same engine and the same
 * REST door, on a real kube-apiserver with the real Stork ("real") and on the sandbox's cluster with its
 * simulated Stork ("sand"), and what each leaves behind compared: the ApplicationBackup (the fields Stork
 * sets, its stage and status, its finalizer), the files in the bucket, metadata.json, Warning Events, and
 * what a deletion leaves. Where the two differ, the sandbox is wrong: every other test that runs on the
 * sandbox stands on this one.
 */
class SandboxHeldToStorkIT {

    private static final String TOKEN = "sandbox-admin-token";
    private static final String NS = RealCluster.ADMIN_NAMESPACE;
    private static final String BUCKET = "backups";

    private static Path work;
    private static SandboxObjectStore s3;
    private static RealCluster real;
    private static SandboxCluster sand;
    private static ScheduledExecutorService sandStork;
    private static TestEngine engine;
    private static AdminDoor door;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("sandbox-held-to-stork");
        s3 = new SandboxObjectStore(work.resolve("s3"), FreePort.find());
        s3.createBucket(BUCKET);
        real = RealCluster.start("real", work);
        real.startStork(s3.endpoint().getPort());
        sand = new SandboxCluster("sand");
        sand.installAgent(NS, "stork", true);
        SandboxAgent agent = new SandboxAgent(sand, NS, s3.client(), true);
        sandStork = Executors.newSingleThreadScheduledExecutor();
        sandStork.scheduleWithFixedDelay(agent::work, 200, 200, TimeUnit.MILLISECONDS);
        engine = TestEngine.start(work.resolve("engine"), Map.of(
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "300",
                "bse.clusters.probe-period-millis", "1000"));
        door = new AdminDoor(new RestClient(engine.api()), TOKEN, "held-");
        door.ask("AddCluster", Map.of("name", "real", "kubeconfig", real.engineKubeconfig()));
        door.ask("AddCluster", Map.of("name", "sand", "kubeconfig", sand.kubeconfig()));
        door.ask("CreateBackupLocation", Map.of("name", "l1", "endpoint", s3.endpoint().toString(),
                "region", SandboxObjectStore.REGION, "bucket", BUCKET, "credentials", "good"));
        await().atMost(Duration.ofSeconds(30)).until(() -> door.state("clusters/real").equals("Active")
                && door.state("clusters/sand").equals("Active") && door.state("backup-locations/l1").equals("Valid"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (sandStork != null) {
            sandStork.shutdownNow();
        }
        if (sand != null) {
            sand.close();
        }
        if (real != null) {
            real.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static KubernetesClient client(String cluster) {
        return cluster.equals("real") ? real.admin() : sand.client();
    }

    private static void application(String cluster) {
        KubernetesClient client = client(cluster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                .createOr(existing -> existing.update());
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("orders-cfg").endMetadata()
                .addToData("greeting", "hello").build()).createOr(existing -> existing.update());
    }

    private static GenericKubernetesResource applicationBackup(String cluster, String name) {
        return client(cluster).genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).withName(name).get();
    }

    /** The files of a backup in the bucket, by name under its {@code <namespace>/<name>/<uid>/} folder. */
    private static TreeSet<String> files(String backup) {
        TreeSet<String> files = new TreeSet<>();
        for (S3Object object : s3.client().listObjectsV2(ListObjectsV2Request.builder().bucket(BUCKET).prefix(NS + "/" + backup + "/")
                .build()).contents()) {
            String[] path = object.key().split("/");
            files.add(path.length == 4 ? "<uid>/" + path[3] : object.key().substring((NS + "/" + backup + "/").length()));
        }
        return files;
    }

    /** What Stork made of an ApplicationBackup: which fields it set, and the words that are outcomes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shape(GenericKubernetesResource backup, String name) {
        Map<String, Object> shape = new TreeMap<>();
        Map<String, Object> spec = (Map<String, Object>) backup.getAdditionalProperties().get("spec");
        Map<String, Object> status = (Map<String, Object>) backup.getAdditionalProperties().get("status");
        shape.put("finalizers", backup.getMetadata().getFinalizers());
        shape.put("spec.reclaimPolicy", spec.get("reclaimPolicy"));
        shape.put("status.stage", status.get("stage"));
        shape.put("status.status", status.get("status"));
        shape.put("status.backupPath", String.valueOf(status.get("backupPath"))
                .replace(name, "<name>").replace(String.valueOf(backup.getMetadata().getUid()), "<uid>"));
        shape.put("status.triggerTimestamp set", status.get("triggerTimestamp") != null);
        shape.put("status.finishTimestamp set", status.get("finishTimestamp") != null);
        return shape;
    }

    /** What Stork made of an ApplicationRestore: its stage, status and finalizers. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> restoreShape(String cluster) {
        GenericKubernetesResource restore = client(cluster).genericKubernetesResources(AgentContract.APPLICATION_RESTORE).inNamespace(NS)
                .withName("back-" + cluster).get();
        Map<String, Object> status = (Map<String, Object>) restore.getAdditionalProperties().get("status");
        Map<String, Object> shape = new TreeMap<>();
        shape.put("finalizers", restore.getMetadata().getFinalizers());
        shape.put("status.stage", status.get("stage"));
        shape.put("status.status", status.get("status"));
        shape.put("status.finishTimestamp set", status.get("finishTimestamp") != null);
        return shape;
    }

    private static List<String> warnings(String cluster, String name) {
        return client(cluster).v1().events().inNamespace(NS).list().getItems().stream()
                .filter(event -> event.getInvolvedObject() != null && name.equals(event.getInvolvedObject().getName())
                        && "Warning".equals(event.getType()))
                .map(event -> event.getReason() + ": " + event.getMessage()).sorted().toList();
    }

    @Test
    void should_leave_what_the_real_stork_leaves_for_a_backup_and_its_deletion() throws Exception {
        // given: the same application on both clusters
        application("real");
        application("sand");

        // when: each is backed up through the engine
        door.ask("CreateBackup", Map.of("name", "on-real", "cluster", "real", "location", "l1", "namespaces", List.of("shop")));
        door.ask("CreateBackup", Map.of("name", "on-sand", "cluster", "sand", "location", "l1", "namespaces", List.of("shop")));
        await().atMost(Duration.ofSeconds(90)).until(() -> door.state("backups/on-real").equals("Success")
                && door.state("backups/on-sand").equals("Success"));

        // then: the sandbox's Stork left what the real one left
        assertThat(shape(applicationBackup("real", "on-real"), "on-real")).containsEntry("status.status", "Successful")
                .containsEntry("status.stage", "Final");
        assertThat(files("on-real")).contains("<uid>/metadata.json", "<uid>/resources.json");
        assertThat(shape(applicationBackup("sand", "on-sand"), "on-sand")).as("the ApplicationBackup")
                .isEqualTo(shape(applicationBackup("real", "on-real"), "on-real"));
        assertThat(files("on-sand")).as("the files in the bucket").isEqualTo(files("on-real"));
        assertThat(warnings("sand", "on-sand")).as("Warning Events").isEqualTo(warnings("real", "on-real"));

        // and when each is restored in place over a changed application, both end alike and put it back
        for (String cluster : List.of("real", "sand")) {
            client(cluster).configMaps().inNamespace("shop").withName("orders-cfg").edit(c -> {
                c.getData().put("greeting", "changed");
                return c;
            });
            door.ask("CreateRestore", Map.of("name", "back-" + cluster, "backup", "on-" + cluster, "cluster", cluster,
                    "replacePolicy", "Delete"));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> !door.state("restores/back-real").matches("Pending|In-Progress")
                && !door.state("restores/back-sand").matches("Pending|In-Progress"));
        assertThat(door.state("restores/back-sand")).isEqualTo(door.state("restores/back-real"));
        assertThat(restoreShape("sand")).as("the ApplicationRestore").isEqualTo(restoreShape("real"));
        for (String cluster : List.of("real", "sand")) {
            assertThat(client(cluster).configMaps().inNamespace("shop").withName("orders-cfg").get().getData())
                    .as("the application on " + cluster).containsEntry("greeting", "hello");
        }

        // and when both are deleted, neither leaves anything behind
        door.ask("DeleteBackup", Map.of("backup", "on-real"));
        door.ask("DeleteBackup", Map.of("backup", "on-sand"));
        await().atMost(Duration.ofSeconds(90)).until(() -> door.gone("backups/on-real") && door.gone("backups/on-sand"));
        assertThat(files("on-sand")).isEmpty();
        assertThat(files("on-real")).isEmpty();
        assertThat(applicationBackup("sand", "on-sand")).isNull();
        assertThat(applicationBackup("real", "on-real")).isNull();
    }

    @Test
    void should_refuse_what_the_real_stork_refuses_in_the_same_words() throws Exception {
        // given: a backup of a namespace that does not exist on either cluster
        door.ask("CreateBackup", Map.of("name", "nowhere-real", "cluster", "real", "location", "l1", "namespaces", List.of("nowhere")));
        door.ask("CreateBackup", Map.of("name", "nowhere-sand", "cluster", "sand", "location", "l1", "namespaces", List.of("nowhere")));

        // then: both end the same way
        await().atMost(Duration.ofSeconds(120)).until(() -> !door.state("backups/nowhere-real").matches("Pending|In-Progress")
                && !door.state("backups/nowhere-sand").matches("Pending|In-Progress"));
        assertThat(door.state("backups/nowhere-sand")).isEqualTo(door.state("backups/nowhere-real"));
        assertThat(AgentContract.status(applicationBackup("sand", "nowhere-sand"), "status"))
                .isEqualTo(AgentContract.status(applicationBackup("real", "nowhere-real"), "status"));
        assertThat(door.get("backups/nowhere-sand").path("cause").asText()).isEqualTo(door.get("backups/nowhere-real").path("cause").asText())
                .isNotEmpty();
        assertThat(files("nowhere-sand")).isEqualTo(files("nowhere-real"));
        assertThat(warnings("sand", "nowhere-sand")).isEqualTo(warnings("real", "nowhere-real"));
    }
}
