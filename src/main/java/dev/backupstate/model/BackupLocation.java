package dev.backupstate.model;

/** Matrix row 1: where backups are stored. Credentials are a reference, never held in the model. */
public record BackupLocation(String name, BackupLocationState state, LocationType type, BucketKey bucket,
                             String region, String credentials, String owner, String cause) implements Resource {

    @Override
    public ResourceKind kind() {
        return ResourceKind.BACKUP_LOCATION;
    }

    public BackupLocation withState(BackupLocationState next, String why) {
        return new BackupLocation(name, next, type, bucket, region, credentials, owner, why);
    }
}
