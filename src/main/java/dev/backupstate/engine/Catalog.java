package dev.backupstate.engine;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Share;
import dev.backupstate.model.Sync;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine knows, read-only: single resources by name, every resource of a kind, counts, and
 * the few indexed questions the fact loader asks to bring a bounded set of facts to an event at fleet
 * scale. Only the decision loop changes the catalog behind it (issue 12: the catalog is the loop's).
 */
public interface Catalog {

    Optional<Resource> find(ResourceRef ref);

    /** Every resource of a kind. */
    List<Resource> all(ResourceKind kind);

    /**
     * Up to {@code limit} resources of a kind that match {@code filter}, in name order, starting after the
     * name {@code after} (null: from the first); {@code next} names the last one when more may follow.
     */
    Page page(ResourceKind kind, java.util.function.Predicate<Resource> filter, String after, int limit);

    /** One page of a list: its resources, and the name to continue after (null on the last page). */
    record Page(List<Resource> items, String next) {
    }

    /** How many resources of a kind are in each state, by the state's name. */
    java.util.Map<String, Integer> countByState(ResourceKind kind);

    int count(ResourceKind kind);

    default Optional<Resource> find(ResourceKind kind, String name) {
        return name == null ? Optional.empty() : find(ResourceRef.of(kind, name));
    }

    /** Backups whose {@code incrementalOf} is this backup. */
    List<Backup> dependentsOf(String backup);

    /** How many resources of this kind (schedules, backups, restores) this user owns now. */
    long heldBy(String owner, ResourceKind kind);

    /** Every backup a schedule of this name created that is still in the catalog (any schedule of the name, ever). */
    List<Backup> backupsOfSchedule(String schedule);

    /** The runs of this schedule itself: the backups it made (its uid) for its owner, still in the catalog. */
    default List<Backup> runsOf(dev.backupstate.model.Schedule schedule) {
        return backupsOfSchedule(schedule.name()).stream()
                .filter(backup -> java.util.Objects.equals(backup.scheduleUid(), schedule.uid())
                        && java.util.Objects.equals(backup.owner(), schedule.owner()))
                .toList();
    }

    /** Backups stored in a location, at most {@code limit} of them. */
    List<Backup> backupsIn(String location, int limit);

    /** Pending and In-Progress backups on a cluster, at most {@code limit} of them. */
    List<Backup> runningBackupsOn(String cluster, int limit);

    /** The connections of a cluster, one per linked location. */
    List<Connection> connectionsOf(String cluster);

    /** Every connection of a location, at most {@code limit} of them. */
    List<Connection> connectionsTo(String location, int limit);

    /**
     * A sample of a location's connections: up to {@code perClass} from each class of (connection state,
     * state of its cluster), plus the connections to the {@code always} clusters. Rules that ask "is there
     * a connection of this kind" or "is there another one" get the same answer from the sample as from
     * every connection.
     */
    List<Connection> connectionSample(String location, int perClass, Collection<String> always);

    /** As {@link #connectionSample(String, int, Collection)}, from the classes of these connection states only. */
    List<Connection> connectionSample(String location, int perClass, Collection<String> always,
                                      Set<ConnectionState> states);

    /** The clusters with at least one connection in this state (from the per-location classes: no walk of every connection). */
    Set<String> clustersWithConnection(ConnectionState state);

    /** Locations on the same endpoint and bucket whose folder overlaps this one (one prefix inside the other). */
    List<BackupLocation> locationsOverlapping(BucketKey bucket);

    /** Syncs of every location that points at this bucket folder. */
    List<Sync> syncsOf(BucketKey bucket);

    /** Clusters onboarded by a discovery configuration. */
    List<Cluster> clustersOf(String discoveryConfig);

    Optional<Share> share(String backup, String user);
}
