package dev.backupstate.model;

/** What a backup location stores its backups in. */
public enum LocationType implements Labelled {
    /** Any object store with the S3 API. */
    S3("S3"),
    /** An NFS share (Classic only). */
    NFS("NFS");

    /**
     * Why every NFS location is Invalid, wherever it is asked: the engine has no way yet to reach a share
     * as Stork would (issue 22).
     */
    public static final String NFS_NOT_REACHED = "NFS locations cannot be validated yet: the engine reaches locations through the "
            + "S3 API only, and Stork writes NFS backups with KDMP executor Jobs that mount the share on the cluster";

    private final String label;

    LocationType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
