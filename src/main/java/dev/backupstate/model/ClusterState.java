package dev.backupstate.model;

/** States of an application cluster (matrix row 3). */
public enum ClusterState implements State {
    /** Being onboarded: not yet probed. */
    PENDING("Pending"),
    /** All operations allowed. */
    ACTIVE("Active"),
    /** Wrong kubeconfig, agent (Stork) missing, expired token, or unreachable. */
    DISCONNECTED("Disconnected"),
    /** Expired kubeconfig, or the cluster is down. */
    NOT_AVAILABLE("Not Available"),
    /** Removal requested; no new work is placed on it. */
    DELETE_PENDING("DeletePending");

    private final String label;

    ClusterState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
