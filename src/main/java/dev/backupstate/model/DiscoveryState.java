package dev.backupstate.model;

/** States of a cluster discovery configuration (matrix row 8, Federated only). */
public enum DiscoveryState implements State {
    /** A discovery run is listing shoots. */
    IN_PROGRESS("InProgress"),
    /** The last run finished. */
    SUCCESS("Success"),
    /** The last run failed; the cause says why. */
    FAILED("Failed"),
    /** Being deleted. */
    DELETING("Deleting"),
    /** Deletion waits for a running discovery to finish. */
    DELETE_PENDING("DeletePending");

    private final String label;

    DiscoveryState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
