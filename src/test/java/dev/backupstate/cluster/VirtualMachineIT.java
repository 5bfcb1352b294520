package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.model.VirtualMachine;
import dev.backupstate.model.VirtualMachineState;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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

/** Classic: KubeVirt VirtualMachines of a cluster are followed, and a VM backup with freeze rules needs a running VM. */
class VirtualMachineIT {

    @TempDir
    Path work;
    private TestEngine engine;
    private dev.backupstate.sandbox.SandboxObjectStore s3;
    private int s3Port;
    private SandboxCluster east;

    @BeforeEach
    void start() throws Exception {
        east = new SandboxCluster("east");
        east.installAgent("kube-system", "stork", true);
        s3Port = dev.backupstate.testing.FreePort.find();
        s3 = new dev.backupstate.sandbox.SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        engine = TestEngine.start(work, Map.of(
                "bse.credentials.good", dev.backupstate.sandbox.SandboxObjectStore.ACCESS_KEY + ":"
                        + dev.backupstate.sandbox.SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.probe-period-millis", "300",
                "bse.clusters.request-timeout-millis", "1000"));
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + s3Port, "us-east-1", "backups", "", "good"));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.CLUSTER, "east")).map(c -> c.state() == ClusterState.ACTIVE).orElse(false)
                && engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "l1"))
                .map(l -> l.state() == dev.backupstate.model.BackupLocationState.VALID).orElse(false));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        s3.close();
        east.close();
    }

    private Outcome submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    private void machine(String namespace, String name, String printableStatus) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion("kubevirt.io/v1");
        vm.setKind("VirtualMachine");
        vm.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        vm.setAdditionalProperty("spec", Map.of("running", !"Stopped".equals(printableStatus)));
        vm.setAdditionalProperty("status", Map.of("printableStatus", printableStatus));
        east.client().genericKubernetesResources(AgentContract.VIRTUAL_MACHINE).inNamespace(namespace).resource(vm)
                .createOr(existing -> existing.update());
    }

    private VirtualMachineState state(String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.VIRTUAL_MACHINE, name))
                .map(vm -> ((VirtualMachine) vm).state()).orElse(null);
    }

    private static Request.CreateBackup vmBackup(String name, String freezeRule) {
        return new Request.CreateBackup(name, "east", "l1", List.of("shop"), "shop/db", null, freezeRule, null, null);
    }

    @Test
    void should_follow_virtual_machines_and_refuse_freeze_rules_on_a_paused_one() {
        // given
        machine("shop", "db", "Running");
        machine("shop", "cache", "Stopped");
        await().atMost(Duration.ofSeconds(10)).until(() -> state("shop/db") == VirtualMachineState.RUNNING
                && state("shop/cache") == VirtualMachineState.STOPPED);
        assertThat(submit(vmBackup("vm-running", "freeze-db")).accepted()).isTrue();

        // when: the machine is paused
        machine("shop", "db", "Paused");
        await().atMost(Duration.ofSeconds(10)).until(() -> state("shop/db") == VirtualMachineState.PAUSED);

        // then
        Outcome frozen = submit(vmBackup("vm-paused", "freeze-db"));
        assertThat(frozen.accepted()).isFalse();
        assertThat(frozen.reason()).isEqualTo("VM_FREEZE_RULES_FAIL");
        assertThat(submit(vmBackup("vm-paused-no-rules", null)).accepted()).as("without freeze rules").isTrue();
    }

    @Test
    void should_follow_a_crashing_machine_by_kubevirts_word_and_drop_a_deleted_one() {
        // given
        machine("shop", "db", "Running");
        machine("shop", "cache", "Stopped");
        await().atMost(Duration.ofSeconds(10)).until(() -> state("shop/db") == VirtualMachineState.RUNNING
                && state("shop/cache") == VirtualMachineState.STOPPED);

        // when: one crashes, then fails to pull its image, and the other is deleted in KubeVirt
        machine("shop", "db", "CrashLoopBackOff");
        await().atMost(Duration.ofSeconds(10)).until(() -> state("shop/db") == VirtualMachineState.FAILING);
        machine("shop", "db", "ErrImagePull");
        east.client().genericKubernetesResources(AgentContract.VIRTUAL_MACHINE).inNamespace("shop").withName("cache").delete();

        // then: the catalog says Failing with KubeVirt's word, and forgets the deleted one
        await().atMost(Duration.ofSeconds(10)).until(() -> "ErrImagePull".equals(engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.VIRTUAL_MACHINE, "shop/db")).map(vm -> ((VirtualMachine) vm).printableStatus())
                .orElse(null)) && state("shop/cache") == null);
        assertThat(submit(vmBackup("vm-failing", "freeze-db")).reason()).isEqualTo("VM_FREEZE_RULES_FAIL");
    }
}
