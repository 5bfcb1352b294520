package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Event;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.VirtualMachine;
import dev.backupstate.model.VirtualMachineState;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.testing.ClassicFleet;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classic: KubeVirt VirtualMachines of a cluster are followed, and a VM backup with freeze rules needs a running VM. */
class VirtualMachineIT {

    @TempDir
    Path work;
    private ClassicFleet fleet;
    private SandboxCluster east;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        fleet = new ClassicFleet(work, "kube-system", Map.of("bse.clusters.probe-period-millis", "300"));
        east = fleet.east;
        engine = fleet.engine;
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private Outcome submit(Event event) {
        return fleet.submit(event);
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
