package dev.backupstate.model;

/** States of a restore (matrix row 7). */
public enum RestoreState implements State {
    /** Accepted, not yet started on its cluster. */
    PENDING("Pending"),
    /** Running on its cluster. */
    IN_PROGRESS("In-Progress"),
    /** Everything was restored. */
    SUCCESS("Success"),
    /** Some volumes or resources were restored. */
    PARTIAL_SUCCESS("Partial Success"),
    /** Nothing was restored. */
    FAILURE("Failure"),
    /** Stopped before it finished. */
    ABORTED("Aborted");

    private final String label;

    RestoreState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
