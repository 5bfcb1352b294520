package dev.backupstate.model;

/** Matrix row 10 (Federated only): the sync of one location's bucket into the catalog, run on one cluster. */
public record Sync(String location, SyncState state, BucketKey bucket, String cluster, String cause, String uid)
        implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public Sync(String location, SyncState state, BucketKey bucket, String cluster, String cause) {
        this(location, state, bucket, cluster, cause, null);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SYNC;
    }

    @Override
    public String name() {
        return location;
    }

    public Sync withState(SyncState next, String onCluster, String why) {
        return new Sync(location, next, bucket, onCluster, why, uid);
    }

    @Override
    public Sync withUid(String identity) {
        return new Sync(location, state, bucket, cluster, cause, identity);
    }
}
