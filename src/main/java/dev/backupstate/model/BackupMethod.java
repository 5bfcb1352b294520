package dev.backupstate.model;

/** How a backup copies volume data. */
public enum BackupMethod implements Labelled {
    /** Storage snapshots, moved by the cluster's agent. */
    SNAPSHOT("Snapshot"),
    /** Kubernetes data mover (Classic only). */
    KDMP("KDMP");

    private final String label;

    BackupMethod(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
