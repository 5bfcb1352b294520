package dev.backupstate.model;

/** States of one backup location's connection to one cluster (matrix row 9, Federated only). */
public enum ConnectionState implements State {
    /** Linked; validation not yet sent to the cluster. */
    PENDING("Pending"),
    /** The cluster's agent is validating the location. */
    IN_PROGRESS("InProgress"),
    /** The agent reached the location with its workload identity. */
    VALID("Valid"),
    /** The agent could not, did not answer in time, or the cluster is not Active. */
    INVALID("Invalid");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
