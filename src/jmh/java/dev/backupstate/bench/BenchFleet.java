package dev.backupstate.bench;

import dev.backupstate.engine.FactLoader;
import dev.backupstate.engine.InMemoryCatalog;
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
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import dev.backupstate.model.User;
import dev.backupstate.model.UserState;
import java.time.Instant;
import java.util.List;

/**
 * The Federated fleet of issue 2's scale target, at any size: {@code clusters} clusters (every tenth
 * Disconnected), 100 backup locations linked to all of them (clusters x 100 connections), 100 backups
 * per cluster (a million at 10,000 clusters), and one extra location whose every connection is Invalid.
 */
final class BenchFleet {

    static final int LOCATIONS = 100;
    static final int BACKUPS_PER_CLUSTER = 100;

    final InMemoryCatalog catalog = new InMemoryCatalog();
    final FactLoader loader;
    final Envelope createBackup;
    final Envelope deleteWithEligibleCluster;
    final Envelope deleteWithoutEligibleCluster;
    final Envelope triggerSync;
    final Envelope probeConfirms;
    final Envelope probeChanges;

    BenchFleet(int clusters) {
        catalog.put(new User("alice", UserState.ACTIVE, false));
        for (int l = 0; l < LOCATIONS; l++) {
            catalog.put(location("l" + l));
            catalog.put(new Sync("l" + l, l == 7 ? SyncState.IN_PROGRESS : SyncState.COMPLETED,
                    location("l" + l).bucket(), "c0", null));
        }
        catalog.put(location("orphan"));
        for (int c = 0; c < clusters; c++) {
            boolean down = c % 10 == 9;
            String cluster = "c" + c;
            catalog.put(new Cluster(cluster, down ? ClusterState.DISCONNECTED : ClusterState.ACTIVE,
                    down ? "unreachable" : null, true, null, "admin"));
            for (int l = 0; l < LOCATIONS; l++) {
                catalog.put(new Connection("l" + l, cluster, down ? ConnectionState.INVALID : ConnectionState.VALID, null));
            }
            catalog.put(new Connection("orphan", cluster, ConnectionState.INVALID, "AccessDenied"));
            for (int b = 0; b < BACKUPS_PER_CLUSTER; b++) {
                catalog.put(backup("b" + c + "-" + b, cluster, "l" + ((c + b) % LOCATIONS)));
            }
        }
        catalog.put(backup("orphan-backup", "c0", "orphan"));
        loader = new FactLoader(catalog, Mode.FEDERATED);
        createBackup = envelope(new Request.CreateBackup("new-backup", "c1", "l1", List.of("orders"), null, null,
                null, null, null));
        deleteWithEligibleCluster = envelope(new Request.DeleteBackup("b1-0", false));
        deleteWithoutEligibleCluster = envelope(new Request.DeleteBackup("orphan-backup", false));
        triggerSync = envelope(new Request.TriggerSync("l1"));
        probeConfirms = observation(new Observation.ClusterProbed("c1", ClusterState.ACTIVE, null));
        probeChanges = observation(new Observation.ClusterProbed("c1", ClusterState.DISCONNECTED, "unreachable"));
    }

    private static BackupLocation location(String name) {
        return new BackupLocation(name, BackupLocationState.VALID, LocationType.S3,
                new BucketKey("http://s3.example", "fleet", name), "eu-1", "secret/s3", "admin", null);
    }

    private static Backup backup(String name, String cluster, String location) {
        return new Backup(name, BackupState.SUCCESS, cluster, location, "alice", null, null, Instant.EPOCH,
                List.of("orders"), null, BackupMethod.SNAPSHOT, null, null, null);
    }

    private static Envelope envelope(Event event) {
        return new Envelope("bench", "alice", Source.BENCHMARK, Instant.EPOCH, event);
    }

    private static Envelope observation(Event event) {
        return new Envelope("bench", "engine", Source.OBSERVATION, Instant.EPOCH, event);
    }
}
