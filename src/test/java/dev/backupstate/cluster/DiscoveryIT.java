package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.DiscoveryConfig;
import dev.backupstate.model.DiscoveryState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.testing.TestEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gardener discovery against a Gardener API (mock server with Shoot resources and the adminkubeconfig
 * subresource) and one API server per shoot: onboarding, unmanaging, re-managing, one run at a time,
 * and refreshed kubeconfigs.
 */
class DiscoveryIT {

    private static final String NS = "kube-system";

    @TempDir
    Path work;
    private TestEngine engine;
    private SandboxCluster garden;
    private SandboxCluster shootA;
    private SandboxCluster shootB;
    private SandboxCluster shootC;

    @BeforeEach
    void start() throws Exception {
        garden = new SandboxCluster("garden");
        shootA = new SandboxCluster("shoot-a");
        shootB = new SandboxCluster("shoot-b");
        shootC = new SandboxCluster("shoot-c");
        for (SandboxCluster shoot : new SandboxCluster[] {shootA, shootB, shootC}) {
            shoot.installAgent(NS, "stork", true);
        }
        garden.serveShoot("fleet", shootA, Map.of("env", "prod"));
        garden.serveShoot("fleet", shootB, Map.of("env", "prod"));
        garden.serveShoot("fleet", shootC, Map.of("env", "dev"));
        engine = TestEngine.start(work, Map.of(
                "bse.mode", "Federated",
                "bse.outbox.poll-millis", "100",
                "bse.clusters.probe-period-millis", "300",
                "bse.clusters.request-timeout-millis", "1000"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        for (SandboxCluster cluster : new SandboxCluster[] {garden, shootA, shootB, shootC}) {
            cluster.close();
        }
    }

    private Outcome submit(Request request) {
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", Source.REST, Instant.now(), request));
    }

    private Optional<Resource> find(ResourceKind kind, String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(kind, name));
    }

    private Cluster cluster(String name) {
        return (Cluster) find(ResourceKind.CLUSTER, name).orElseThrow();
    }

    private DiscoveryConfig config() {
        return (DiscoveryConfig) find(ResourceKind.DISCOVERY_CONFIG, "d1").orElseThrow();
    }

    private void awaitRun(String statistics) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(config().state()).isEqualTo(DiscoveryState.SUCCESS);
            assertThat(config().cause()).isEqualTo(statistics);
        });
    }

    private void discover() {
        submit(new Request.CreateDiscoveryConfig("d1", "fleet", "env=prod", 15, garden.kubeconfig()));
        awaitRun("2 shoots match: 2 added, 0 unmanaged, 0 managed again");
    }

    @Test
    void should_onboard_the_matching_shoots_as_clusters_with_their_admin_kubeconfigs() {
        // when
        discover();

        // then: both matching shoots are clusters of d1, reached with the kubeconfig Gardener handed out
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cluster("shoot-a").state()).isEqualTo(ClusterState.ACTIVE);
            assertThat(cluster("shoot-b").state()).isEqualTo(ClusterState.ACTIVE);
        });
        assertThat(cluster("shoot-a").discoveryConfig()).isEqualTo("d1");
        assertThat(find(ResourceKind.CLUSTER, "shoot-c")).as("dev shoot does not match").isEmpty();
        assertThat(engine.runtime().loop().store().resources().toString()).doesNotContain("token");
    }

    @Test
    void should_unmanage_a_shoot_that_stops_matching_and_manage_it_again_when_it_matches() {
        discover();

        garden.relabelShoot("fleet", "shoot-b", Map.of("env", "dev"));
        assertThat(submit(new Request.DiscoverClusters("d1")).accepted()).isTrue();
        awaitRun("1 shoots match: 0 added, 1 unmanaged, 0 managed again");
        assertThat(cluster("shoot-b").managed()).isFalse();

        garden.relabelShoot("fleet", "shoot-b", Map.of("env", "prod"));
        submit(new Request.DiscoverClusters("d1"));
        awaitRun("2 shoots match: 0 added, 0 unmanaged, 1 managed again");
        assertThat(cluster("shoot-b").managed()).isTrue();
    }

    @Test
    void should_hold_a_hibernated_shoot_not_available_until_it_wakes_and_let_a_deleted_one_go() {
        discover();

        // when: Gardener hibernates shoot-b (its API server goes down) and the next run sees it
        garden.hibernateShoot("fleet", shootB, true);
        submit(new Request.DiscoverClusters("d1"));
        awaitRun("2 shoots match: 0 added, 0 unmanaged, 0 managed again");

        // then: its cluster is Not Available with Gardener's reason, and probes that cannot reach it do not change that
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster("shoot-b").cause()).isEqualTo(Cluster.HIBERNATED));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(cluster("shoot-b").state()).isEqualTo(ClusterState.NOT_AVAILABLE);
            assertThat(cluster("shoot-b").cause()).isEqualTo(Cluster.HIBERNATED);
        });

        // and when it wakes, the next run brings it back
        garden.hibernateShoot("fleet", shootB, false);
        submit(new Request.DiscoverClusters("d1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster("shoot-b").state() == ClusterState.ACTIVE);

        // and when Gardener deletes shoot-a, it matches no more: its cluster is unmanaged
        garden.deleteShoot("fleet", "shoot-a");
        assertThat(garden.client().genericKubernetesResources(AgentContract.SHOOT).inNamespace("garden-fleet").withName("shoot-a").get()
                .getMetadata().getDeletionTimestamp()).as("Gardener holds it by its finalizer while it deletes it").isNotNull();
        submit(new Request.DiscoverClusters("d1"));
        awaitRun("1 shoots match: 0 added, 1 unmanaged, 0 managed again");
        assertThat(cluster("shoot-a").managed()).isFalse();
    }

    @Test
    void should_run_one_discovery_per_configuration_at_a_time() throws Exception {
        discover();
        // the run's effect waits in the outbox while the route is stopped: the run stays InProgress
        engine.camel.getCamelContext().getRouteController().stopRoute("outbox-dispatch");

        Outcome first = submit(new Request.DiscoverClusters("d1"));
        Outcome second = submit(new Request.DiscoverClusters("d1"));

        assertThat(first.accepted()).isTrue();
        assertThat(second.accepted()).isFalse();
        assertThat(second.reason()).isEqualTo("DISCOVERY_ALREADY_RUNNING");
        engine.camel.getCamelContext().getRouteController().startRoute("outbox-dispatch");
        awaitRun("2 shoots match: 0 added, 0 unmanaged, 0 managed again");
    }

    @Test
    void should_renew_the_kubeconfig_of_a_shoot_whose_credentials_stopped_working() {
        discover();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster("shoot-a").state() == ClusterState.ACTIVE);

        // given: the shoot's credentials were rotated, so the kubeconfig the engine holds is refused
        shootA.rotateToken();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster("shoot-a").state() == ClusterState.DISCONNECTED);

        // when
        assertThat(submit(new Request.RefreshClusters("d1")).accepted()).isTrue();

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster("shoot-a").state() == ClusterState.ACTIVE);
    }

    @Test
    void should_fail_a_run_whose_gardener_cannot_be_reached() {
        discover();
        garden.down();

        submit(new Request.DiscoverClusters("d1"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(config().state()).isEqualTo(DiscoveryState.FAILED);
            assertThat(config().cause()).startsWith("shoots cannot be listed: cluster down");
        });
    }

    @Test
    void should_find_a_projects_shoots_in_the_namespace_gardener_gave_it_and_fail_a_project_it_lacks() throws Exception {
        // given: a project whose namespace Gardener generated, with a shoot in it
        SandboxCluster shootD = new SandboxCluster("shoot-d");
        try {
            shootD.installAgent(NS, "stork", true);
            garden.serveProject("team", "garden-team-x7k2p");
            garden.serveShoot("team", shootD, Map.of("env", "prod"));

            // when
            submit(new Request.CreateDiscoveryConfig("d1", "team", "env=prod", 15, garden.kubeconfig()));
            submit(new Request.CreateDiscoveryConfig("d2", "ghost", "", 15, garden.kubeconfig()));

            // then
            awaitRun("1 shoots match: 1 added, 0 unmanaged, 0 managed again");
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster("shoot-d").state() == ClusterState.ACTIVE);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                DiscoveryConfig ghost = (DiscoveryConfig) find(ResourceKind.DISCOVERY_CONFIG, "d2").orElseThrow();
                assertThat(ghost.state()).isEqualTo(DiscoveryState.FAILED);
                assertThat(ghost.cause()).isEqualTo("Gardener has no project ghost");
            });
        } finally {
            shootD.close();
        }
    }
}
