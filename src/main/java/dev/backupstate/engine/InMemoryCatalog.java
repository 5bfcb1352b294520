package dev.backupstate.engine;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Share;
import dev.backupstate.model.Sync;
import dev.backupstate.model.Transition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog held in memory with the indexes the fact loader needs. Reads may run on many threads;
 * writes ({@link #put}, {@link #remove}, {@link #apply}) come from one writer at a time.
 * Connections are kept per location and per class of (connection state, cluster state), so that a
 * sample of a location's connections costs the same with ten clusters as with ten thousand.
 */
public final class InMemoryCatalog implements Catalog {

    private final Map<ResourceKind, Map<String, Resource>> byKind = new EnumMap<>(ResourceKind.class);
    /** location → cluster → connection: no per-connection key string for a million connections. */
    private final java.util.concurrent.ConcurrentSkipListMap<String, java.util.concurrent.ConcurrentSkipListMap<String, Connection>> connections
            = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, Set<String>> locationsOfCluster = new ConcurrentHashMap<>();
    /** location → class → clusters in that class. */
    private final Map<String, Map<ConnectionClass, Set<String>>> connectionClasses = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();
    /** KIND + NUL + owner: how many schedules, backups and restores each user owns (quotas). */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> held = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> backupsOfSchedule = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> backupsOfLocation = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> runningOnCluster = new ConcurrentHashMap<>();
    private final Map<BucketKey, Set<String>> locationsOfBucket = new ConcurrentHashMap<>();
    /** Locations by endpoint and bucket (prefix left out), then by prefix: the folders that may overlap. */
    private final Map<BucketKey, java.util.NavigableMap<String, Set<String>>> folders = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> clustersOfDiscovery = new ConcurrentHashMap<>();

    private static final java.util.concurrent.ConcurrentSkipListMap<String, Connection> NO_CONNECTIONS
            = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final Set<ConnectionState> ALL_STATES = EnumSet.allOf(ConnectionState.class);

    private record ConnectionClass(ConnectionState connection, ClusterState cluster) {
    }

    public InMemoryCatalog() {
        for (ResourceKind kind : ResourceKind.values()) {
            // sorted by name: lists page from a continue token without sorting the kind each time
            byKind.put(kind, new java.util.concurrent.ConcurrentSkipListMap<>());
        }
    }

    // --- writing ----------------------------------------------------------------------------

    /** Forgets everything and holds {@code resources} instead (the store's content after a failed commit). */
    public void replaceAll(Collection<? extends Resource> resources) {
        byKind.values().forEach(Map::clear);
        connections.clear();
        locationsOfCluster.clear();
        connectionClasses.clear();
        dependents.clear();
        held.clear();
        backupsOfSchedule.clear();
        backupsOfLocation.clear();
        runningOnCluster.clear();
        locationsOfBucket.clear();
        folders.clear();
        clustersOfDiscovery.clear();
        putAll(resources);
    }

    /** Adds or replaces a resource, keeping every index true. */
    public void put(Resource resource) {
        if (resource instanceof Connection) {
            putConnection((Connection) resource);
            return;
        }
        Resource before = byKind.get(resource.kind()).put(resource.name(), resource);
        unindex(before);
        index(resource);
        if (resource instanceof Cluster && (before == null || before.state() != resource.state())) {
            reclassify(resource.name(), ((Cluster) resource).state());
        }
    }

    public void putAll(Collection<? extends Resource> resources) {
        resources.forEach(this::put);
    }

    public void remove(ResourceRef ref) {
        if (ref.kind() == ResourceKind.CONNECTION) {
            find(ref).ifPresent(found -> removeConnection((Connection) found));
            return;
        }
        unindex(byKind.get(ref.kind()).remove(ref.name()));
    }

    /** Carries out an accepted decision's transitions. */
    public void apply(Decision decision) {
        if (!decision.accepted()) {
            return;
        }
        for (Transition transition : decision.transitions()) {
            if (transition.after() == null) {
                remove(transition.ref());
            } else {
                put(transition.after());
            }
        }
    }

    // --- reading ----------------------------------------------------------------------------

    @Override
    public Optional<Resource> find(ResourceRef ref) {
        if (ref.kind() == ResourceKind.CONNECTION) {
            int colon = ref.name().indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            Map<String, Connection> ofLocation = connections.get(ref.name().substring(0, colon));
            return Optional.ofNullable(ofLocation == null ? null : ofLocation.get(ref.name().substring(colon + 1)));
        }
        return Optional.ofNullable(byKind.get(ref.kind()).get(ref.name()));
    }

    /** Every resource of a kind, by name (connections by location, then cluster). */
    public List<Resource> all(ResourceKind kind) {
        List<Resource> all = new ArrayList<>();
        if (kind == ResourceKind.CONNECTION) {
            connections.values().forEach(ofLocation -> all.addAll(ofLocation.values()));
        } else {
            all.addAll(byKind.get(kind).values());
        }
        return all;
    }

    /**
     * Walks the sorted names from just after {@code after}, keeping those that match, until {@code limit}
     * are found: a page costs what it skips, never a copy or a sort of the kind.
     */
    @Override
    public Page page(ResourceKind kind, java.util.function.Predicate<Resource> filter, String after, int limit) {
        List<Resource> items = new ArrayList<>(Math.min(limit, 1000));
        java.util.Iterator<? extends Resource> walk = walk(kind, after);
        while (walk.hasNext()) {
            Resource next = walk.next();
            if (!filter.test(next)) {
                continue;
            }
            if (items.size() == limit) {
                return new Page(items, items.get(items.size() - 1).name());
            }
            items.add(next);
        }
        return new Page(items, null);
    }

    private java.util.Iterator<? extends Resource> walk(ResourceKind kind, String after) {
        if (kind != ResourceKind.CONNECTION) {
            java.util.NavigableMap<String, Resource> sorted = (java.util.NavigableMap<String, Resource>) byKind.get(kind);
            return (after == null ? sorted : sorted.tailMap(after, false)).values().iterator();
        }
        int colon = after == null ? -1 : after.indexOf(':');
        String fromLocation = colon < 0 ? null : after.substring(0, colon);
        String fromCluster = colon < 0 ? null : after.substring(colon + 1);
        var locations = fromLocation == null ? connections : connections.tailMap(fromLocation, true);
        return locations.entrySet().stream().flatMap(ofLocation -> (ofLocation.getKey().equals(fromLocation)
                        ? ofLocation.getValue().tailMap(fromCluster, false) : ofLocation.getValue()).values().stream())
                .map(Resource.class::cast).iterator();
    }

    /** How many resources of a kind are in each state (stateless kinds count under "stateless"). */
    public Map<String, Integer> countByState(ResourceKind kind) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Resource resource : all(kind)) {
            counts.merge(resource.stateLabel(), 1, Integer::sum);
        }
        return counts;
    }

    public int count(ResourceKind kind) {
        if (kind == ResourceKind.CONNECTION) {
            return connections.values().stream().mapToInt(Map::size).sum();
        }
        return byKind.get(kind).size();
    }

    @Override
    public List<Backup> dependentsOf(String backup) {
        return resolve(ResourceKind.BACKUP, dependents.get(backup), Integer.MAX_VALUE);
    }

    @Override
    public List<Backup> backupsOfSchedule(String schedule) {
        return resolve(ResourceKind.BACKUP, backupsOfSchedule.get(schedule), Integer.MAX_VALUE);
    }

    @Override
    public List<Backup> backupsIn(String location, int limit) {
        return resolve(ResourceKind.BACKUP, backupsOfLocation.get(location), limit);
    }

    @Override
    public List<Backup> runningBackupsOn(String cluster, int limit) {
        return resolve(ResourceKind.BACKUP, runningOnCluster.get(cluster), limit);
    }

    @Override
    public List<Connection> connectionsOf(String cluster) {
        List<Connection> found = new ArrayList<>();
        for (String location : locationsOfCluster.getOrDefault(cluster, Set.of())) {
            Connection connection = connections.getOrDefault(location, NO_CONNECTIONS).get(cluster);
            if (connection != null) {
                found.add(connection);
            }
        }
        return found;
    }

    @Override
    public List<Connection> connectionsTo(String location, int limit) {
        return connections.getOrDefault(location, NO_CONNECTIONS).values().stream().limit(limit).toList();
    }

    @Override
    public List<Connection> connectionSample(String location, int perClass, Collection<String> always) {
        return connectionSample(location, perClass, always, ALL_STATES);
    }

    @Override
    public List<Connection> connectionSample(String location, int perClass, Collection<String> always,
                                             Set<ConnectionState> states) {
        Map<String, Connection> ofLocation = connections.getOrDefault(location, NO_CONNECTIONS);
        List<Connection> sample = new ArrayList<>();
        for (String cluster : always) {
            Connection connection = ofLocation.get(cluster);
            if (connection != null) {
                sample.add(connection);
            }
        }
        for (Map.Entry<ConnectionClass, Set<String>> connectionClass
                : connectionClasses.getOrDefault(location, Map.of()).entrySet()) {
            if (!states.contains(connectionClass.getKey().connection())) {
                continue;
            }
            Set<String> clusters = connectionClass.getValue();
            int taken = 0;
            for (String cluster : clusters) {
                if (taken == perClass) {
                    break;
                }
                if (!always.contains(cluster)) {
                    Connection connection = ofLocation.get(cluster);
                    if (connection != null) {
                        sample.add(connection);
                        taken++;
                    }
                }
            }
        }
        return sample;
    }

    @Override
    public Set<String> clustersWithConnection(ConnectionState state) {
        Set<String> clusters = new java.util.HashSet<>();
        for (Map<ConnectionClass, Set<String>> classes : connectionClasses.values()) {
            for (Map.Entry<ConnectionClass, Set<String>> connectionClass : classes.entrySet()) {
                if (connectionClass.getKey().connection() == state) {
                    clusters.addAll(connectionClass.getValue());
                }
            }
        }
        return clusters;
    }

    /**
     * The folders around this one (its own and each parent's prefix: a few look-ups) and inside it (a
     * range of the sorted prefixes): as cheap with 10,000 locations on a bucket as with one.
     */
    @Override
    public List<BackupLocation> locationsOverlapping(BucketKey bucket) {
        java.util.NavigableMap<String, Set<String>> byPrefix = folders.get(wholeBucket(bucket));
        if (byPrefix == null) {
            return List.of();
        }
        Set<String> names = new java.util.LinkedHashSet<>();
        String prefix = bucket.prefix();
        if (prefix.isEmpty()) {
            byPrefix.values().forEach(names::addAll);
        } else {
            names.addAll(byPrefix.getOrDefault("", Set.of()));
            for (int slash = prefix.indexOf('/'); slash > 0; slash = prefix.indexOf('/', slash + 1)) {
                names.addAll(byPrefix.getOrDefault(prefix.substring(0, slash), Set.of()));
            }
            names.addAll(byPrefix.getOrDefault(prefix, Set.of()));
            byPrefix.subMap(prefix + "/", true, prefix + "/\uffff", true).values().forEach(names::addAll);
        }
        return this.<BackupLocation>resolve(ResourceKind.BACKUP_LOCATION, names, Integer.MAX_VALUE).stream()
                .filter(location -> location.bucket().overlaps(bucket)).toList();
    }

    private static BucketKey wholeBucket(BucketKey key) {
        return new BucketKey(key.endpoint(), key.bucket(), "");
    }

    @Override
    public List<Sync> syncsOf(BucketKey bucket) {
        return resolve(ResourceKind.SYNC, locationsOfBucket.get(bucket), Integer.MAX_VALUE);
    }

    @Override
    public List<Cluster> clustersOf(String discoveryConfig) {
        return resolve(ResourceKind.CLUSTER, clustersOfDiscovery.get(discoveryConfig), Integer.MAX_VALUE);
    }

    @Override
    public Optional<Share> share(String backup, String user) {
        // a share is of one backup, by identity: a later backup of the same name is not shared by it
        return find(ResourceKind.SHARE, Share.nameOf(backup, user)).map(Share.class::cast)
                .filter(share -> find(ResourceKind.BACKUP, backup).map(found -> share.of((dev.backupstate.model.Backup) found)).orElse(false));
    }

    // --- indexes ----------------------------------------------------------------------------

    @Override
    public long heldBy(String owner, ResourceKind kind) {
        java.util.concurrent.atomic.AtomicLong count = held.get(kind + "\u0000" + owner);
        return count == null ? 0 : count.get();
    }

    private static String owner(Resource resource) {
        return resource instanceof Backup backup ? backup.owner() : resource instanceof dev.backupstate.model.Schedule schedule
                ? schedule.owner() : resource instanceof dev.backupstate.model.Restore restore ? restore.owner() : null;
    }

    private void count(Resource resource, int by) {
        String owner = owner(resource);
        if (owner != null) {
            held.computeIfAbsent(resource.kind() + "\u0000" + owner, key -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(by);
        }
    }

    private void index(Resource resource) {
        count(resource, 1);
        if (resource instanceof Backup) {
            Backup backup = (Backup) resource;
            add(dependents, backup.incrementalOf(), backup.name());
            add(backupsOfSchedule, backup.schedule(), backup.name());
            add(backupsOfLocation, backup.location(), backup.name());
            if (backup.state() == BackupState.PENDING || backup.state() == BackupState.IN_PROGRESS) {
                add(runningOnCluster, backup.cluster(), backup.name());
            }
        } else if (resource instanceof Cluster) {
            Cluster cluster = (Cluster) resource;
            add(clustersOfDiscovery, cluster.discoveryConfig(), cluster.name());
        } else if (resource instanceof Sync) {
            Sync sync = (Sync) resource;
            add(locationsOfBucket, sync.bucket(), sync.location());
        } else if (resource instanceof BackupLocation location) {
            folders.computeIfAbsent(wholeBucket(location.bucket()), b -> new java.util.concurrent.ConcurrentSkipListMap<>())
                    .computeIfAbsent(location.bucket().prefix(), p -> ConcurrentHashMap.newKeySet()).add(location.name());
        }
    }

    private void unindex(Resource resource) {
        if (resource != null) {
            count(resource, -1);
        }
        if (resource instanceof Backup) {
            Backup backup = (Backup) resource;
            drop(dependents, backup.incrementalOf(), backup.name());
            drop(backupsOfSchedule, backup.schedule(), backup.name());
            drop(backupsOfLocation, backup.location(), backup.name());
            drop(runningOnCluster, backup.cluster(), backup.name());
        } else if (resource instanceof Cluster) {
            Cluster cluster = (Cluster) resource;
            drop(clustersOfDiscovery, cluster.discoveryConfig(), cluster.name());
        } else if (resource instanceof Sync) {
            Sync sync = (Sync) resource;
            drop(locationsOfBucket, sync.bucket(), sync.location());
        } else if (resource instanceof BackupLocation location) {
            java.util.NavigableMap<String, Set<String>> byPrefix = folders.get(wholeBucket(location.bucket()));
            if (byPrefix != null) {
                drop(byPrefix, location.bucket().prefix(), location.name());
            }
        }
    }

    private void putConnection(Connection connection) {
        Connection before = connections.computeIfAbsent(connection.location(), l -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .put(connection.cluster(), connection);
        if (before != null) {
            declassify(before);
        }
        add(locationsOfCluster, connection.cluster(), connection.location());
        classify(connection, clusterState(connection.cluster()));
    }

    private void removeConnection(Connection connection) {
        Map<String, Connection> ofLocation = connections.get(connection.location());
        if (ofLocation != null && ofLocation.remove(connection.cluster()) != null) {
            declassify(connection);
            drop(locationsOfCluster, connection.cluster(), connection.location());
        }
    }

    /** A cluster's state changed: each of its connections moves to its new class. */
    private void reclassify(String cluster, ClusterState state) {
        for (Connection connection : connectionsOf(cluster)) {
            declassify(connection);
            classify(connection, state);
        }
    }

    private void classify(Connection connection, ClusterState clusterState) {
        connectionClasses.computeIfAbsent(connection.location(), l -> new ConcurrentHashMap<>())
                .computeIfAbsent(new ConnectionClass(connection.state(), clusterState),
                        c -> ConcurrentHashMap.newKeySet())
                .add(connection.cluster());
    }

    private void declassify(Connection connection) {
        Map<ConnectionClass, Set<String>> classes = connectionClasses.get(connection.location());
        if (classes != null) {
            for (Map.Entry<ConnectionClass, Set<String>> entry : classes.entrySet()) {
                if (entry.getKey().connection() == connection.state()) {
                    entry.getValue().remove(connection.cluster());
                }
            }
        }
    }

    /** Connections to a cluster the catalog does not (yet) hold are classed with a null cluster state. */
    private ClusterState clusterState(String cluster) {
        Resource found = byKind.get(ResourceKind.CLUSTER).get(cluster);
        return found == null ? null : ((Cluster) found).state();
    }

    private <T extends Resource> List<T> resolve(ResourceKind kind, Set<String> names, int limit) {
        if (names == null) {
            return List.of();
        }
        Map<String, Resource> all = byKind.get(kind);
        List<T> found = new ArrayList<>();
        for (String name : names) {
            if (found.size() == limit) {
                break;
            }
            @SuppressWarnings("unchecked")
            T resource = (T) all.get(name);
            if (resource != null) {
                found.add(resource);
            }
        }
        return found;
    }

    private static <K> void add(Map<K, Set<String>> index, K key, String value) {
        if (key != null) {
            index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(value);
        }
    }

    private static <K> void drop(Map<K, Set<String>> index, K key, String value) {
        if (key != null) {
            Set<String> values = index.get(key);
            if (values != null) {
                values.remove(value);
            }
        }
    }
}
