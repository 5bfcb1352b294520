package dev.backupstate.model;

/** A backup's progress as its cluster's agent reports it (ApplicationBackup status). */
public enum BackupStatus implements Labelled {
    /** Running. */
    IN_PROGRESS("InProgress"),
    /** Finished: everything backed up. */
    SUCCESS("Successful"),
    /** Finished: some volumes or resources backed up. */
    PARTIAL_SUCCESS("PartialSuccess"),
    /** Finished: nothing backed up. */
    FAILURE("Failed");

    private final String label;

    BackupStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** The backup state a report moves a backup to. */
    public BackupState backupState() {
        return BackupState.valueOf(name());
    }

    /** The restore state a report moves a restore to. */
    public RestoreState restoreState() {
        return RestoreState.valueOf(name());
    }

    public boolean finished() {
        return this != IN_PROGRESS;
    }
}
