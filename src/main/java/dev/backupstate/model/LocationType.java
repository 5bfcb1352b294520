package dev.backupstate.model;

/** What a backup location stores its backups in. */
public enum LocationType implements Labelled {
    /** Any object store with the S3 API. */
    S3("S3"),
    /** An NFS share (Classic only). */
    NFS("NFS");

    private final String label;

    LocationType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
