package dev.backupstate.model;

/** States of a backup (matrix row 6). */
public enum BackupState implements State {
    /** Accepted, not yet started on its cluster. */
    PENDING("Pending"),
    /** Running on its cluster. */
    IN_PROGRESS("In-Progress"),
    /** Everything was backed up. */
    SUCCESS("Success"),
    /** Some volumes or resources were backed up. */
    PARTIAL_SUCCESS("Partial Success"),
    /** Nothing was backed up. */
    FAILURE("Failure"),
    /** Stopped before it finished. */
    ABORTED("Aborted"),
    /** Its data is being deleted. */
    DELETING("Deleting"),
    /** Deletion waits for its dependent incremental backups to go. */
    DELETE_PENDING("DeletePending"),
    /** In the catalog, but its data is gone from the bucket. */
    CLOUD_BACKUP_MISSING("CloudBackupMissing");

    private final String label;

    BackupState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
