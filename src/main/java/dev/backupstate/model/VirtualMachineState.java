package dev.backupstate.model;

/** States of a KubeVirt virtual machine (matrix row 4, Classic only). */
public enum VirtualMachineState implements State {
    /** Running: freeze rules can run. */
    RUNNING("Running"),
    /** Paused: pre/post-exec freeze rules fail. */
    PAUSED("Paused"),
    /** Stopped: pre/post-exec freeze rules fail. */
    STOPPED("Stopped");

    private final String label;

    VirtualMachineState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
