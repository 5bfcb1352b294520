package dev.backupstate.model;

/** The kinds of {@link Command}: what the effect routes choose on. */
public enum CommandType {
    /** Classic: reach the bucket with the location's credentials (exists, list, write, read, delete a probe). */
    VALIDATE_LOCATION,
    /** Federated: write the location to a cluster and wait for its agent's verdict. */
    VALIDATE_CONNECTION,
    /** Read a cluster's API version, credentials and agent readiness. */
    PROBE_CLUSTER,
    /** Create the ApplicationBackup on the backup's cluster. */
    RUN_BACKUP,
    /** Create the ApplicationRestore on the restore's cluster. */
    RUN_RESTORE,
    /** Classic: delete the backup's folder in the bucket. */
    DELETE_BUCKET_DATA,
    /** Federated: delete the backup's ApplicationBackup on an eligible cluster with reclaimPolicy Delete; Stork deletes the data. */
    DELETE_BACKUP_ON_CLUSTER,
    /** Federated: set location.sync on the location's BackupLocation on one eligible cluster; Stork syncs there. */
    SYNC_ON_CLUSTER,
    /** Start (or stop) firing a schedule's trigger on its policy. */
    REGISTER_SCHEDULE,
    UNREGISTER_SCHEDULE,
    /** Federated: list the Gardener shoots of a discovery configuration. */
    DISCOVER_SHOOTS,
    /** Federated: request a fresh admin kubeconfig for a discovered shoot. */
    REFRESH_KUBECONFIG,
    /** Remove what the engine placed for a resource being removed (custom resources, credentials, triggers). */
    RELEASE_RESOURCE
}
