package dev.backupstate.engine;

import static dev.backupstate.engine.Fleet.aBackup;
import static dev.backupstate.engine.Fleet.aCluster;
import static dev.backupstate.engine.Fleet.aConnection;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryCatalogTest {

    private static BackupLocation aLocation(String name, String endpoint, String bucket, String prefix) {
        return new BackupLocation(name, BackupLocationState.VALID, LocationType.S3, new BucketKey(endpoint, bucket, prefix),
                "eu", null, "admin", null);
    }

    @Test
    void should_find_the_locations_whose_folder_overlaps_a_folder_and_no_others() {
        // given: folders around, inside, beside and elsewhere
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(aLocation("whole", "http://s3", "b", ""));
        catalog.put(aLocation("team", "http://s3", "b", "team"));
        catalog.put(aLocation("inside", "http://s3", "b", "team/prod/x"));
        catalog.put(aLocation("beside", "http://s3", "b", "teammate"));
        catalog.put(aLocation("other-bucket", "http://s3", "c", "team/prod"));
        catalog.put(aLocation("moved", "http://s3", "b", "team/prod"));
        catalog.put(aLocation("moved", "http://s3", "b", "archive"));

        // then: a folder meets its parents and its children, not its neighbours
        assertThat(catalog.locationsOverlapping(new BucketKey("HTTP://S3/", "b", "team/prod")))
                .extracting(BackupLocation::name).containsExactlyInAnyOrder("whole", "team", "inside");
        assertThat(catalog.locationsOverlapping(new BucketKey("http://s3", "b", "")))
                .extracting(BackupLocation::name).containsExactlyInAnyOrder("whole", "team", "inside", "beside", "moved");
        assertThat(catalog.locationsOverlapping(new BucketKey("http://s3", "d", ""))).isEmpty();
    }

    @Test
    void should_sample_at_most_two_connections_per_class_however_large_the_fleet() {
        InMemoryCatalog catalog = Fleet.ofClusters(1_000);

        List<Connection> sample = catalog.connectionSample("l1", 2, Set.of("c500"));

        // (Valid, Active) and (Invalid, Disconnected): two classes, two each, plus the one asked for
        assertThat(sample).hasSize(5);
        assertThat(sample).extracting(Connection::cluster).contains("c500");
        assertThat(sample).filteredOn(c -> c.state() == ConnectionState.INVALID).hasSize(2);
    }

    @Test
    void should_move_connections_to_their_new_class_when_a_cluster_changes_state() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(aCluster("c1", ClusterState.ACTIVE));
        catalog.put(aConnection("l1", "c1", ConnectionState.VALID));

        catalog.put(aCluster("c1", ClusterState.DISCONNECTED));
        catalog.put(aConnection("l1", "c1", ConnectionState.INVALID));
        catalog.put(aCluster("c2", ClusterState.ACTIVE));
        catalog.put(aConnection("l1", "c2", ConnectionState.VALID));

        assertThat(catalog.connectionSample("l1", 5, Set.of())).containsExactlyInAnyOrder(
                aConnection("l1", "c1", ConnectionState.INVALID), aConnection("l1", "c2", ConnectionState.VALID));
    }

    @Test
    void should_keep_indexes_true_through_updates_and_removals() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(aBackup("b1", "c1", "l1", BackupState.IN_PROGRESS));
        assertThat(catalog.runningBackupsOn("c1", 5)).hasSize(1);

        catalog.put(aBackup("b1", "c1", "l1", BackupState.SUCCESS));
        assertThat(catalog.runningBackupsOn("c1", 5)).isEmpty();
        assertThat(catalog.backupsIn("l1", 5)).hasSize(1);

        catalog.remove(ResourceRef.of(ResourceKind.BACKUP, "b1"));
        assertThat(catalog.backupsIn("l1", 5)).isEmpty();

        catalog.put(aConnection("l1", "c1", ConnectionState.VALID));
        catalog.remove(ResourceRef.of(ResourceKind.CONNECTION, "l1:c1"));
        assertThat(catalog.connectionsOf("c1")).isEmpty();
        assertThat(catalog.connectionSample("l1", 2, Set.of())).isEmpty();
    }
}
