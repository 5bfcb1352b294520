package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clusters are probed over their Kubernetes API: fabric8 mock servers in CRUD mode, one per cluster,
 * several at once. Each cause of a cluster's state is produced by the API server or the agent itself.
 */
class ClusterProbeIT {

    private static final String AGENT_NS = "kube-system";

    @TempDir
    Path work;
    private TestEngine engine;
    private SandboxCluster east;
    private SandboxCluster west;

    @BeforeEach
    void start() throws Exception {
        east = new SandboxCluster("east");
        west = new SandboxCluster("west");
        // west doubles as the engine's own cluster, where kubeconfigs may be kept as Secrets
        Path home = Files.writeString(work.resolve("home.kubeconfig"), west.kubeconfig());
        engine = TestEngine.start(work, Map.of(
                "bse.clusters.secrets-kubeconfig", home.toString(),
                "bse.clusters.kubeconfig-directory", Files.createDirectories(work.resolve("kubeconfigs")).toString(),
                "bse.outbox.poll-millis", "100",
                "bse.clusters.probe-period-millis", "300",
                "bse.clusters.request-timeout-millis", "1000"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        east.close();
        west.close();
    }

    private void add(String name, String kubeconfig) {
        engine.runtime().loop().submit(new Envelope("add-" + name + "-" + UUID.randomUUID(), "admin", Source.REST, Instant.now(),
                new Request.AddCluster(name, kubeconfig)));
    }

    private Cluster cluster(String name) {
        return (Cluster) engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.CLUSTER, name)).orElseThrow();
    }

    private void awaitState(String name, ClusterState state, String causeContains) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(cluster(name).state()).isEqualTo(state);
            if (causeContains != null) {
                assertThat(cluster(name).cause()).contains(causeContains);
            }
        });
    }

    @Test
    void should_make_a_cluster_with_a_ready_agent_active_and_one_without_agent_disconnected() {
        // given: east runs a ready agent, west none
        east.installAgent(AGENT_NS, "stork", true);

        // when
        add("east", east.kubeconfig());
        add("west", west.kubeconfig());

        // then
        awaitState("east", ClusterState.ACTIVE, null);
        awaitState("west", ClusterState.DISCONNECTED, "agent (Stork) not running: no Lease kube-system/stork");
    }

    @Test
    void should_follow_the_agent_becoming_ready_and_going_unready() {
        west.installAgent(AGENT_NS, "stork", false);
        add("west", west.kubeconfig());
        awaitState("west", ClusterState.DISCONNECTED, "agent (Stork) not running: Lease kube-system/stork held by sandbox-stork was last renewed");

        west.installAgent(AGENT_NS, "stork", true);
        awaitState("west", ClusterState.ACTIVE, null);

        west.removeAgent(AGENT_NS, "stork");
        awaitState("west", ClusterState.DISCONNECTED, "agent (Stork) not running: no Lease kube-system/stork");
    }

    @Test
    void should_disconnect_a_cluster_whose_credentials_are_refused() {
        // given: an active cluster
        east.installAgent(AGENT_NS, "stork", true);
        add("east", east.kubeconfig());
        awaitState("east", ClusterState.ACTIVE, null);

        // when: the cluster's token is rotated, so the engine's kubeconfig is refused
        east.rotateToken();

        // then
        awaitState("east", ClusterState.DISCONNECTED, "credentials refused (HTTP 401)");
    }

    @Test
    void should_make_a_cluster_that_goes_down_not_available_and_active_again_when_it_returns() {
        east.installAgent(AGENT_NS, "stork", true);
        west.installAgent(AGENT_NS, "stork", true);
        add("east", east.kubeconfig());
        add("west", west.kubeconfig());
        awaitState("east", ClusterState.ACTIVE, null);
        awaitState("west", ClusterState.ACTIVE, null);

        east.down();
        awaitState("east", ClusterState.NOT_AVAILABLE, "cluster down");
        assertThat(cluster("west").state()).as("the other cluster is untouched").isEqualTo(ClusterState.ACTIVE);

        east.up();
        awaitState("east", ClusterState.ACTIVE, null);
    }

    @Test
    void should_make_a_cluster_that_does_not_answer_in_time_not_available() {
        east.installAgent(AGENT_NS, "stork", true);
        add("east", east.kubeconfig());
        awaitState("east", ClusterState.ACTIVE, null);

        east.slow(Duration.ofSeconds(3));

        awaitState("east", ClusterState.NOT_AVAILABLE, "no answer in time");
        east.slow(Duration.ZERO);
        awaitState("east", ClusterState.ACTIVE, null);
    }

    @Test
    void should_disconnect_a_cluster_whose_token_has_expired_without_asking_it() {
        east.installAgent(AGENT_NS, "stork", true);
        String expired = jwt(Instant.parse("2024-01-01T00:00:00Z"));

        add("east", east.kubeconfig(expired));

        awaitState("east", ClusterState.DISCONNECTED, "token expired 2024-01-01T00:00:00Z");
    }

    @Test
    void should_make_a_cluster_whose_kubeconfig_certificate_expired_not_available() throws Exception {
        east.installAgent(AGENT_NS, "stork", true);
        Base64.Encoder base64 = Base64.getEncoder();
        String certificate = base64.encodeToString(Files.readAllBytes(Path.of("src/test/resources/certificates/expired-client.crt")));
        String key = base64.encodeToString(Files.readAllBytes(Path.of("src/test/resources/certificates/expired-client.key")));
        String kubeconfig = east.kubeconfig("unused").replace("    token: unused",
                "    client-certificate-data: " + certificate + "\n    client-key-data: " + key);

        add("east", kubeconfig);

        awaitState("east", ClusterState.NOT_AVAILABLE, "kubeconfig expired: client certificate ended 2023-01-31T");
    }

    @Test
    void should_read_a_kubeconfig_given_as_a_file_reference_and_never_keep_it_in_the_catalog() throws Exception {
        east.installAgent(AGENT_NS, "stork", true);
        Path file = Files.writeString(work.resolve("kubeconfigs/east.kubeconfig"), east.kubeconfig());
        // a link in the kubeconfig directory that leads out of it is not followed
        Path outside = Files.writeString(work.resolve("west.kubeconfig"), west.kubeconfig());
        Files.createSymbolicLink(work.resolve("kubeconfigs/west.kubeconfig"), outside);

        add("east", "file:" + file);
        add("west", "file:west.kubeconfig");

        awaitState("east", ClusterState.ACTIVE, null);
        awaitState("west", ClusterState.DISCONNECTED, "kubeconfig: file: references are read only under bse.clusters.kubeconfig-directory");
        assertThat(engine.runtime().loop().store().resources().toString()).doesNotContain("token");
    }

    @Test
    void should_not_run_an_exec_plugin_that_a_kubeconfig_secret_holds() throws Exception {
        // given: a Secret whose kubeconfig was changed, after it was referenced, to run a command
        Path marker = work.resolve("pwned");
        String exec = east.kubeconfig().replaceAll("    token: .*", "    exec:\n"
                + "      apiVersion: client.authentication.k8s.io/v1\n"
                + "      command: /bin/sh\n"
                + "      args: [-c, \"touch " + marker + "\"]");
        west.client().secrets().inNamespace(AGENT_NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("east-kubeconfig").withNamespace(AGENT_NS).endMetadata()
                .addToData("kubeconfig", Base64.getEncoder().encodeToString(exec.getBytes(StandardCharsets.UTF_8)))
                .build()).create();

        add("east", "secret:" + AGENT_NS + "/east-kubeconfig");

        // then: the cluster is Disconnected with the cause, and nothing ran
        awaitState("east", ClusterState.DISCONNECTED, "exec credential plugins run a command on the engine's host");
        assertThat(marker).doesNotExist();
    }

    @Test
    void should_read_a_kubeconfig_kept_as_a_secret_on_the_engines_own_cluster() {
        east.installAgent(AGENT_NS, "stork", true);
        west.client().secrets().inNamespace(AGENT_NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("east-kubeconfig").withNamespace(AGENT_NS).endMetadata()
                .addToData("kubeconfig", Base64.getEncoder().encodeToString(east.kubeconfig().getBytes(StandardCharsets.UTF_8)))
                .build()).create();

        add("east", "secret:" + AGENT_NS + "/east-kubeconfig");
        add("gone", "secret:" + AGENT_NS + "/no-such-secret");

        awaitState("east", ClusterState.ACTIVE, null);
        awaitState("gone", ClusterState.DISCONNECTED, "secret kube-system/no-such-secret does not exist");
    }

    private static String jwt(Instant exp) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(("{\"sub\":\"engine\",\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
    }
}
