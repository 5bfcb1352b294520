package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.AdminDoor;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RealCluster;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.EditedRules;
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
 * Classic mode against the real Stork controller on a real kube-apiserver (RealCluster), S3Proxy as
 * the bucket, everything asked through the engine's REST door as an operator would: a backup Stork
 * takes, an in-place restore and one into another namespace, and a delete that is done only when the
 * data and every ApplicationBackup of it are gone.
 */
class RealStorkClassicIT {

    private static final String TOKEN = "sandbox-admin-token";
    private static final String NS = RealCluster.ADMIN_NAMESPACE;
    private static final String BUCKET = "backups";

    private static Path work;
    private static SandboxObjectStore s3;
    private static RealCluster east;
    private static RealCluster west;
    private static TestEngine engine;
    private static RestClient rest;
    private static AdminDoor door;
    private static Map<String, String> settings;
    private static int restarts;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("real-stork-classic");
        s3 = new SandboxObjectStore(work.resolve("s3"), FreePort.find());
        s3.createBucket(BUCKET);
        east = RealCluster.start("east", work);
        east.startStork(s3.endpoint().getPort());
        west = RealCluster.start("west", work);
        west.startStork(s3.endpoint().getPort());
        settings = Map.of(
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.outbox.max-backoff-millis", "3000",
                "bse.clusters.follow-period-millis", "300",
                "bse.clusters.probe-period-millis", "1000",
                // short, so that a restore taken for unseen while it waits for Stork's sync would fail within the test:
                // the limit is the rules', 5 s instead of 10 minutes, as ops would edit it
                "bse.clusters.unseen-report-seconds", "1",
                "bse.rules.directory", EditedRules.copy(work.resolve("rules"))
                        .limit("restores.drl", "restoreUnseenLimitSeconds", 5)
                        .limit("backups.drl", "silenceLimitSeconds", 3)
                        .limit("restores.drl", "restoreSilenceLimitSeconds", 3).directory());
        engine = TestEngine.start(work.resolve("engine"), settings);
        rest = new RestClient(engine.api());
        door = new AdminDoor(rest, TOKEN, "real-classic-");
        ask("AddCluster", Map.of("name", "east", "kubeconfig", east.engineKubeconfig()));
        ask("AddCluster", Map.of("name", "west", "kubeconfig", west.engineKubeconfig()));
        ask("CreateBackupLocation", Map.of("name", "l1", "endpoint", s3.endpoint().toString(),
                "region", SandboxObjectStore.REGION, "bucket", BUCKET, "credentials", "good"));
        await().atMost(Duration.ofSeconds(30)).until(() -> state("clusters/east").equals("Active") && state("clusters/west").equals("Active")
                && state("backup-locations/l1").equals("Valid"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (east != null) {
            east.close();
        }
        if (west != null) {
            west.close();
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
        door = new AdminDoor(rest, TOKEN, "real-classic-after-restart-" + (++restarts) + "-");
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

    private static GenericKubernetesResource applicationBackup(String name) {
        return east.admin().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).withName(name).get();
    }

    private static void configMap(String namespace, String name, String value) {
        east.namespace(namespace);
        east.admin().configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .endMetadata().addToData("greeting", value).build()).createOr(existing -> existing.update());
    }

    @Test
    void should_back_up_restore_and_delete_through_the_real_stork() throws Exception {
        // given: an application namespace
        configMap("shop", "orders-cfg", "hello");

        // when: a backup is asked for
        ask("CreateBackup", Map.of("name", "b1", "cluster", "east", "location", "l1", "namespaces", List.of("shop")));

        // then: Stork takes it, and the engine says Success only once Stork does
        await().atMost(Duration.ofSeconds(90)).until(() -> state("backups/b1").equals("Success"));
        GenericKubernetesResource taken = applicationBackup("b1");
        assertThat(AgentContract.status(taken, "status")).isEqualTo("Successful");
        String uid = taken.getMetadata().getUid();
        assertThat(keys(NS + "/b1/" + uid + "/")).contains(NS + "/b1/" + uid + "/metadata.json", NS + "/b1/" + uid + "/resources.json");

        // when: the application loses its ConfigMap and is restored in place
        east.admin().configMaps().inNamespace("shop").withName("orders-cfg").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> east.admin().configMaps().inNamespace("shop").withName("orders-cfg").get() == null);
        ask("CreateRestore", Map.of("name", "r1", "backup", "b1", "cluster", "east"));

        // then
        await().atMost(Duration.ofSeconds(90)).until(() -> state("restores/r1").equals("Success"));
        assertThat(east.admin().configMaps().inNamespace("shop").withName("orders-cfg").get().getData()).containsEntry("greeting", "hello");

        // and when it is restored into another namespace (Stork's namespaceMapping, from its admin namespace)
        ask("CreateRestore", Map.of("name", "r1-copy", "backup", "b1", "cluster", "east", "namespaceMapping", Map.of("shop", "shop-copy")));
        await().atMost(Duration.ofSeconds(90)).until(() -> state("restores/r1-copy").equals("Success"));
        assertThat(east.admin().configMaps().inNamespace("shop-copy").withName("orders-cfg").get().getData()).containsEntry("greeting", "hello");

        // when: the backup is deleted
        ask("DeleteBackup", Map.of("backup", "b1"));

        // then: it is gone from the catalog only when its data is gone from the bucket and Stork's object from the cluster
        await().atMost(Duration.ofSeconds(60)).until(() -> door.gone("backups/b1"));
        assertThat(keys(NS + "/b1/")).isEmpty();
        assertThat(applicationBackup("b1")).as("Stork's ApplicationBackup of a deleted backup").isNull();
    }

    @Test
    void should_keep_a_restore_on_another_cluster_pending_until_storks_sync_brings_its_backup() throws Exception {
        // given: a backup taken on east
        configMap("web", "site-cfg", "v1");
        ask("CreateBackup", Map.of("name", "b2", "cluster", "east", "location", "l1", "namespaces", List.of("web")));
        await().atMost(Duration.ofSeconds(90)).until(() -> state("backups/b2").equals("Success"));

        // when: it is restored on west, where Stork has no ApplicationBackup of it yet, and Stork there is
        // down for a while (so that its sync cannot bring the copy before the unseen limit has passed)
        west.killStork();
        ask("CreateRestore", Map.of("name", "r2", "backup", "b2", "cluster", "west"));

        // then: the restore waits, Pending with the cause, past the unseen limit (5 s): it has not started, so it has not failed
        await().atMost(Duration.ofSeconds(15)).until(() -> get("restores/r2").path("cause").asText().contains("not on cluster west yet"));
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() -> state("restores/r2").equals("Pending"));

        // and when Stork on west is back, its sync brings the copy (a pass at start, then a minute after the last), and it restores from it
        west.startStork(s3.endpoint().getPort());
        await().atMost(Duration.ofSeconds(180)).until(() -> !state("restores/r2").equals("Pending")
                && !state("restores/r2").equals("In-Progress"));
        assertThat(state("restores/r2")).isEqualTo("Success");
        assertThat(west.admin().configMaps().inNamespace("web").withName("site-cfg").get().getData()).containsEntry("greeting", "v1");
        // and the sync the restore asked for is set back
        GenericKubernetesResource location = west.admin().genericKubernetesResources(AgentContract.BACKUP_LOCATION)
                .inNamespace(NS).withName("l1").get();
        assertThat(((Map<?, ?>) location.getAdditionalProperties().get("location")).get("sync")).isEqualTo(false);
    }

    @Test
    void should_carry_a_backup_and_its_deletion_across_engine_restarts() throws Exception {
        // given: a backup the engine has handed to Stork
        configMap("books", "books-cfg", "v1");
        ask("CreateBackup", Map.of("name", "b5", "cluster", "east", "location", "l1", "namespaces", List.of("books")));
        await().atMost(Duration.ofSeconds(30)).until(() -> applicationBackup("b5") != null);

        // when: the engine restarts while Stork runs it
        restartEngine();

        // then: the engine follows it again from what the cluster shows, and says what Stork did
        await().atMost(Duration.ofSeconds(90)).until(() -> state("backups/b5").equals("Success"));
        assertThat(AgentContract.status(applicationBackup("b5"), "status")).isEqualTo("Successful");

        // and when its deletion is accepted and the engine restarts before carrying it out
        ask("DeleteBackup", Map.of("backup", "b5"));
        restartEngine();

        // then: the accepted deletion is carried out once, and done only when the data and Stork's object are gone
        await().atMost(Duration.ofSeconds(90)).until(() -> door.gone("backups/b5"));
        assertThat(keys(NS + "/b5/")).isEmpty();
        assertThat(applicationBackup("b5")).isNull();
    }

    @Test
    void should_fail_a_backup_whose_name_stork_holds_for_another_object_and_never_read_its_status() throws Exception {
        // given: an ApplicationBackup named b3 that the engine did not write, which the real Stork takes
        configMap("tools", "tools-cfg", "x");
        GenericKubernetesResource foreign = AgentContract.resource(AgentContract.APPLICATION_BACKUP, NS, "b3",
                Map.of("backupLocation", "l1", "namespaces", List.of("tools"), "reclaimPolicy", "Delete"));
        foreign.getMetadata().setLabels(Map.of());
        east.admin().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).resource(foreign).create();

        // when: a backup of that name is asked for on east
        ask("CreateBackup", Map.of("name", "b3", "cluster", "east", "location", "l1", "namespaces", List.of("shop")));

        // then: it fails, saying why, and the other object is left as it was
        await().atMost(Duration.ofSeconds(30)).until(() -> state("backups/b3").equals("Failure"));
        assertThat(get("backups/b3").path("cause").asText()).contains("ApplicationBackup kube-system/b3 on cluster east exists and is not this one's");
        assertThat(applicationBackup("b3").getMetadata().getAnnotations()).doesNotContainKey(AgentContract.ANNOTATION_UID);
    }

    @Test
    void should_let_a_backup_wait_while_stork_looks_for_its_exec_rule_and_go_on_once_it_exists() throws Exception {
        // given: a backup naming a pre-exec rule that does not exist yet
        configMap("ledger", "ledger-cfg", "y");
        ask("CreateBackup", Map.of("name", "b4", "cluster", "east", "location", "l1", "namespaces", List.of("ledger"),
                "preExecRule", "quiesce"));

        // then: Stork says so in a Warning event and looks again on every pass; the backup waits with Stork's words
        await().atMost(Duration.ofSeconds(60)).until(() -> get("backups/b4").path("cause").asText().contains("Error getting PreExecRule quiesce"));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> !state("backups/b4").equals("Failure"));

        // when the rule is created (one with nothing to run), Stork goes on, and so does the backup
        GenericKubernetesResource rule = new GenericKubernetesResource();
        rule.setApiVersion("stork.libopenstorage.org/v1alpha1");
        rule.setKind("Rule");
        rule.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("quiesce").withNamespace(NS).build());
        rule.setAdditionalProperty("rules", List.of());
        east.admin().genericKubernetesResources("stork.libopenstorage.org/v1alpha1", "Rule").inNamespace(NS).resource(rule).create();
        await().atMost(Duration.ofSeconds(120)).until(() -> state("backups/b4").equals("Success"));
    }
}
