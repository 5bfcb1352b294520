package dev.backupstate.model;

/** Matrix row 1: where backups are stored. Credentials are a reference, never held in the model. */
public record BackupLocation(String name, BackupLocationState state, LocationType type, BucketKey bucket,
                             String region, String credentials, String owner, String cause, String uid) implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public BackupLocation(String name, BackupLocationState state, LocationType type, BucketKey bucket, String region, String credentials, String owner, String cause) {
        this(name, state, type, bucket, region, credentials, owner, cause, null);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.BACKUP_LOCATION;
    }

    public BackupLocation withState(BackupLocationState next, String why) {
        return new BackupLocation(name, next, type, bucket, region, credentials, owner, why, uid);
    }

    @Override
    public BackupLocation withUid(String identity) {
        return new BackupLocation(name, state, type, bucket, region, credentials, owner, cause, identity);
    }
}
