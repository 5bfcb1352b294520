package dev.backupstate.model;

/** States of a backup location's sync (matrix row 10, Federated only). */
public enum SyncState implements State {
    /** Never ran. */
    IDLE("Idle"),
    /** Requested; waiting for its cluster to start. */
    PENDING("Pending"),
    /** The agent is listing the bucket. */
    IN_PROGRESS("InProgress"),
    /** The catalog reflects the bucket as last listed. */
    COMPLETED("Completed"),
    /** The last sync failed; the cause says why. */
    FAILED("Failed");

    private final String label;

    SyncState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
