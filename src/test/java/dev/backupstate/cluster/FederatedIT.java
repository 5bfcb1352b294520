package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
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
import dev.backupstate.model.Source;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federated mode over real Kubernetes APIs: a location is validated on each linked cluster by a check
 * Job (the test plays each cluster's kubelet), and with no eligible cluster left a delete needs force.
 * Deletes, syncs and restores through Stork: {@link StorkFederatedIT}.
 */
class FederatedIT {

    private static final String NS = "kube-system";
    /** The verdict's limit is the rules': 2 s instead of 5 minutes, as ops would edit it. */
    private Map<String, String> settings() {
        return Map.of(
                "bse.mode", "Federated",
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "200",
                "bse.clusters.probe-period-millis", "300",
                "bse.clusters.request-timeout-millis", "1000",
                "bse.clusters.agent-timeout-seconds", "2",
                "bse.clusters.agent-report-seconds", "1",
                "bse.rules.directory", java.nio.file.Files.isDirectory(work.resolve("rules")) ? work.resolve("rules").toString()
                        : dev.backupstate.testing.EditedRules.copy(work.resolve("rules")).limit("connections.drl", "verdictLimitSeconds", 2)
                                .directory());
    }

    @TempDir
    Path work;
    private TestEngine engine;
    private SandboxCluster east;
    private SandboxCluster west;

    @BeforeEach
    void start() throws Exception {
        east = new SandboxCluster("east");
        west = new SandboxCluster("west");
        east.installAgent(NS, "stork", true);
        west.installAgent(NS, "stork", true);
        engine = TestEngine.start(work, settings());
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.AddCluster("west", west.kubeconfig()));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                this.<dev.backupstate.model.Cluster>find(ResourceKind.CLUSTER, "east").state() == ClusterState.ACTIVE
                        && this.<dev.backupstate.model.Cluster>find(ResourceKind.CLUSTER, "west").state() == ClusterState.ACTIVE);
        assertThat(submit(new Request.CreateBackupLocation("l1", LocationType.S3, "https://s3.example", "eu-1", "fleet", "prod", null))
                .accepted()).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        east.close();
        west.close();
    }

    private Outcome submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    @SuppressWarnings("unchecked")
    private <T extends Resource> T find(ResourceKind kind, String name) {
        return (T) engine.runtime().loop().catalog().find(ResourceRef.of(kind, name)).orElseThrow();
    }

    private Optional<Resource> maybe(ResourceKind kind, String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(kind, name));
    }

    private static GenericKubernetesResource awaitResource(SandboxCluster cluster, ResourceDefinitionContext kind, String name,
                                                          java.util.function.Predicate<GenericKubernetesResource> ready) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> cluster.client().genericKubernetesResources(kind).inNamespace(NS).withName(name).get(),
                r -> r != null && ready.test(r));
    }

    @SuppressWarnings("unchecked")
    private static String spec(GenericKubernetesResource resource, String field) {
        Object value = ((Map<String, Object>) resource.getAdditionalProperties().get("spec")).get(field);
        return value == null ? null : value.toString();
    }

    private static void status(SandboxCluster cluster, ResourceDefinitionContext kind, String name, String field, Object value) {
        cluster.client().genericKubernetesResources(kind).inNamespace(NS).withName(name).edit(r -> {
            r.setAdditionalProperty("status", Map.of(field, value));
            return r;
        });
    }

    /** The engine's check Job on the cluster, once it is there. */
    private static io.fabric8.kubernetes.api.model.batch.v1.Job checkJob(SandboxCluster cluster) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client().batch().v1().jobs().inNamespace(NS)
                .withLabel(LocationChecks.LABEL_LOCATION, "l1").list().getItems().stream().findFirst().orElse(null), java.util.Objects::nonNull);
    }

    /** What Kubernetes reports when the check's pod ends: the test plays the cluster's kubelet. */
    private static void verdict(SandboxCluster cluster, String verdict, String cause) {
        String job = checkJob(cluster).getMetadata().getName();
        dev.backupstate.sandbox.SandboxKubelet.finish(cluster.client(), NS, job, verdict.equals("Valid"),
                cause == null ? verdict : verdict + ": " + cause);
    }

    private void linkBoth(String eastVerdict, String westVerdict) {
        submit(new Request.LinkClusterToLocation("l1", "east"));
        submit(new Request.LinkClusterToLocation("l1", "west"));
        if (eastVerdict != null) {
            verdict(east, eastVerdict, eastVerdict.equals("Invalid") ? "403 from the bucket" : null);
        }
        if (westVerdict != null) {
            verdict(west, westVerdict, westVerdict.equals("Invalid") ? "403 from the bucket" : null);
        }
    }

    private ConnectionState connection(String cluster) {
        return this.<Connection>find(ResourceKind.CONNECTION, Connection.nameOf("l1", cluster)).state();
    }

    private void backUp(String name) {
        assertThat(submit(new Request.CreateBackup(name, "east", "l1", List.of("shop"), null, null, null, null, null)).accepted()).isTrue();
        awaitResource(east, AgentContract.APPLICATION_BACKUP, name, r -> true);
        status(east, AgentContract.APPLICATION_BACKUP, name, "status", "Successful");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.<Backup>find(ResourceKind.BACKUP, name).state() == BackupState.SUCCESS);
    }

    @Test
    void should_validate_a_location_on_each_cluster_without_credentials_and_time_out_a_silent_agent() {
        // when: east's agent says Valid, west's says nothing
        linkBoth("Valid", null);

        // then: each cluster checks with its own identity: a Job of the engine's image, no credentials in it
        GenericKubernetesResource written = awaitResource(east, AgentContract.BACKUP_LOCATION, "l1", r -> true);
        assertThat(written.getAdditionalProperties().get("location")).asString()
                .contains("type=s3", "path=fleet", "endpoint=s3.example", "useIam=true", "sync=false")
                .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("accessKey");
        var container = checkJob(west).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).containsSubsequence("check-location", "--endpoint", "https://s3.example", "--bucket", "fleet");
        assertThat(checkJob(west).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("stork-account");
        assertThat(container.toString()).doesNotContainIgnoringCase("secret");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(connection("east")).isEqualTo(ConnectionState.VALID);
            assertThat(connection("west")).isEqualTo(ConnectionState.INVALID);
            assertThat(this.<Connection>find(ResourceKind.CONNECTION, Connection.nameOf("l1", "west")).cause())
                    .matches("no verdict within [2-4] s");
            assertThat(this.<BackupLocation>find(ResourceKind.BACKUP_LOCATION, "l1").state()).isEqualTo(BackupLocationState.VALID);
        });
    }

    @Test
    void should_take_a_verdict_the_agent_gives_after_the_engine_restarted() throws Exception {
        // given: the engine asked east's agent, then stopped before the answer came
        submit(new Request.LinkClusterToLocation("l1", "east"));
        checkJob(east);
        engine.close();

        // when: it starts again and the agent answers
        engine = TestEngine.start(work, settings());
        verdict(east, "Valid", null);

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> connection("east") == ConnectionState.VALID);
    }

    @Test
    void should_make_the_location_invalid_when_every_agent_refuses_it() {
        linkBoth("Invalid", "Invalid");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(connection("east")).isEqualTo(ConnectionState.INVALID);
            assertThat(this.<Connection>find(ResourceKind.CONNECTION, Connection.nameOf("l1", "east")).cause())
                    .isEqualTo("403 from the bucket");
            assertThat(connection("west")).isEqualTo(ConnectionState.INVALID);
            assertThat(this.<BackupLocation>find(ResourceKind.BACKUP_LOCATION, "l1").state()).isEqualTo(BackupLocationState.INVALID);
        });
    }

    @Test
    void should_require_force_when_no_cluster_is_eligible_and_record_the_data_left_behind() {
        linkBoth("Valid", "Invalid");
        await().atMost(Duration.ofSeconds(10)).until(() -> connection("east") == ConnectionState.VALID);
        backUp("b2");

        // when: the only eligible cluster goes down
        east.down();
        await().atMost(Duration.ofSeconds(10)).until(() -> connection("east") == ConnectionState.INVALID);
        Outcome refused = submit(new Request.DeleteBackup("b2", false));
        Outcome forced = submit(new Request.DeleteBackup("b2", true));

        // then
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.reason()).isEqualTo("NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED");
        assertThat(forced.accepted()).as(forced.toString()).isTrue();
        assertThat(maybe(ResourceKind.BACKUP, "b2")).isEmpty();
        assertThat(engine.runtime().loop().store().auditOfRequest(forced.requestId()).toString()).contains("fleet");
    }
}
