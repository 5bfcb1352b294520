package dev.backupstate.engine;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.LocationType;
import java.time.Instant;
import java.util.List;

/** Test-data builders for a Federated fleet: clusters, locations linked to all of them, backups. */
final class Fleet {

    private Fleet() {
    }

    static Cluster aCluster(String name, ClusterState state) {
        return new Cluster(name, state, null, true, null, "admin");
    }

    static BackupLocation aLocation(String name) {
        return new BackupLocation(name, BackupLocationState.VALID, LocationType.S3, new BucketKey("http://s3", name, ""),
                null, null, "admin", null);
    }

    static Connection aConnection(String location, String cluster, ConnectionState state) {
        return new Connection(location, cluster, state, null);
    }

    static Backup aBackup(String name, String cluster, String location, BackupState state) {
        return new Backup(name, state, cluster, location, "alice", null, null, Instant.EPOCH, List.of(), null,
                BackupMethod.SNAPSHOT, null, null, null);
    }

    /** {@code clusters} Active clusters, every tenth Disconnected; one location linked to all. */
    static InMemoryCatalog ofClusters(int clusters) {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(aLocation("l1"));
        for (int i = 0; i < clusters; i++) {
            boolean down = i % 10 == 9;
            catalog.put(aCluster("c" + i, down ? ClusterState.DISCONNECTED : ClusterState.ACTIVE));
            catalog.put(aConnection("l1", "c" + i, down ? ConnectionState.INVALID : ConnectionState.VALID));
        }
        return catalog;
    }
}
