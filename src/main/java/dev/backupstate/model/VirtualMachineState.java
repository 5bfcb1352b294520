package dev.backupstate.model;

/**
 * States of a KubeVirt virtual machine (matrix row 4, Classic only). The matrix shows Running, Paused
 * and Stopped; the others are ours, so that every KubeVirt {@code printableStatus} (kubevirt/api
 * core/v1/types.go, VirtualMachinePrintableStatus) has a state and none is mistaken for another.
 * The VM keeps KubeVirt's own word beside its state.
 */
public enum VirtualMachineState implements State {
    /** Running (also Migrating: it keeps running while it moves): freeze rules can run. */
    RUNNING("Running"),
    /** Paused: pre/post-exec freeze rules fail. */
    PAUSED("Paused"),
    /** Stopped: pre/post-exec freeze rules fail. */
    STOPPED("Stopped"),
    /** Ours: on its way to running (Provisioning, Starting, WaitingForVolumeBinding, WaitingForReceiver). */
    STARTING("Starting"),
    /** Ours: on its way to stopped or gone (Stopping, Terminating). */
    STOPPING("Stopping"),
    /** Ours: KubeVirt cannot run it (CrashLoopBackOff, ErrorUnschedulable, ErrImagePull, ImagePullBackOff,
     *  ErrorPvcNotFound, DataVolumeError). */
    FAILING("Failing"),
    /** Ours: KubeVirt does not know (Unknown), or says nothing yet, or a word this engine does not know. */
    UNKNOWN("Unknown");

    private final String label;

    VirtualMachineState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
