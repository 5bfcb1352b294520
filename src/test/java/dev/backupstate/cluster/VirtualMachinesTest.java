package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.VirtualMachineState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every printableStatus of kubevirt/api core/v1/types.go (VirtualMachinePrintableStatus, at
 * c3275b31894bb048f950e10ee31218ff5ba45c3f) has a state; none is skipped or taken for another.
 */
class VirtualMachinesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "Stopped, STOPPED", "Provisioning, STARTING", "Starting, STARTING", "Running, RUNNING", "Paused, PAUSED",
            "Stopping, STOPPING", "Terminating, STOPPING", "CrashLoopBackOff, FAILING", "Migrating, RUNNING",
            "Unknown, UNKNOWN", "ErrorUnschedulable, FAILING", "ErrImagePull, FAILING", "ImagePullBackOff, FAILING",
            "ErrorPvcNotFound, FAILING", "DataVolumeError, FAILING", "WaitingForVolumeBinding, STARTING",
            "WaitingForReceiver, STARTING", "Halted, UNKNOWN", "SomethingNew, UNKNOWN"})
    void should_map_every_printable_status(String printable, VirtualMachineState state) {
        assertThat(VirtualMachines.state(printable)).isEqualTo(state);
    }

    @org.junit.jupiter.api.Test
    void should_take_a_machine_without_status_as_unknown() {
        assertThat(VirtualMachines.state(null)).isEqualTo(VirtualMachineState.UNKNOWN);
    }
}
