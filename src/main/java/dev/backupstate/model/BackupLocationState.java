package dev.backupstate.model;

/** States of a backup location (matrix row 1). */
public enum BackupLocationState implements State {
    /** Being checked: not yet usable. */
    VALIDATION_IN_PROGRESS("ValidationInProgress"),
    /** Usable for manual and scheduled backups. */
    VALID("Valid"),
    /** Validation failed: no backup to it, no restore from it. */
    INVALID("Invalid"),
    /** Deletion requested; waits for what still depends on it. */
    DELETE_PENDING("DeletePending");

    private final String label;

    BackupLocationState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
