package dev.backupstate.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Work for the routes after the decision commits (the outbox), one record per kind of work, like
 * {@link Request}: built in the rules, completed by the decision loop with the resources its effect
 * needs as the decision left them ({@link #complete}), and stored whole, so that any leader carries it
 * out from the command alone, without a catalog. {@link #toString()} is the command in words
 * ("RUN_BACKUP backups/b1 cluster=c1 location=l1"): logs, the audit trail and rule scenarios use it.
 */
public sealed interface Command {

    CommandType type();

    /** The resource the work is for. */
    ResourceRef target();

    /** The words the command is told by, name and value, without the resources it carries. */
    Map<String, String> args();

    /** What the effect needs besides what the rule gave, read from the decision's own view. */
    default Command complete(Lookup lookup) {
        return this;
    }

    /** As the command stays in the outbox once carried out: a kubeconfig it carried is not kept. */
    default Command carriedOut() {
        return this;
    }

    /** The resources a decision's commands are completed from: its own transitions first, then its catalog. */
    interface Lookup {
        Optional<Resource> find(ResourceRef ref);

        List<String> names(ResourceKind kind);

        default <T extends Resource> T require(ResourceKind kind, String name, Class<T> type) {
            return type.cast(find(ResourceRef.of(kind, name)).orElseThrow(() ->
                    new IllegalStateException(kind.path() + "/" + name + " is not in the catalog")));
        }
    }

    String REMOVED = "(removed once carried out)";

    /** "RUN_BACKUP backups/b1 cluster=c1", secrets masked ({@link Secrets}): the only way a command becomes text. */
    static String text(Command command) {
        StringBuilder text = new StringBuilder(command.type().name()).append(' ').append(command.target());
        command.args().forEach((name, value) -> text.append(' ').append(name).append('=').append(Secrets.mask(name, value)));
        return text.toString();
    }

    private static Map<String, String> words(String... nameValuePairs) {
        Map<String, String> words = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (nameValuePairs[i + 1] != null) {
                words.put(nameValuePairs[i], nameValuePairs[i + 1]);
            }
        }
        return Collections.unmodifiableMap(words);
    }

    // --- locations ----------------------------------------------------------------------------

    /** Classic: reach the bucket with the location's credentials. */
    record ValidateLocation(BackupLocation location) implements Command {
        public ValidateLocation {
            Objects.requireNonNull(location, "location");
        }

        public CommandType type() {
            return CommandType.VALIDATE_LOCATION;
        }

        public ResourceRef target() {
            return location.ref();
        }

        public Map<String, String> args() {
            return Map.of();
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Federated: write the location to a cluster and wait for its agent's verdict. */
    record ValidateConnection(Connection connection, BackupLocation location) implements Command {
        public ValidateConnection(Connection connection) {
            this(connection, null);
        }

        public CommandType type() {
            return CommandType.VALIDATE_CONNECTION;
        }

        public ResourceRef target() {
            return connection.ref();
        }

        public Map<String, String> args() {
            return words("cluster", connection.cluster(), "location", connection.location());
        }

        @Override
        public Command complete(Lookup lookup) {
            return new ValidateConnection(connection, lookup.require(ResourceKind.BACKUP_LOCATION, connection.location(), BackupLocation.class));
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    // --- clusters ------------------------------------------------------------------------------

    /** Read a cluster's API version, credentials and agent readiness; {@code kubeconfig}: the one an added cluster came with. */
    record ProbeCluster(String cluster, String kubeconfig) implements Command {
        public ProbeCluster(String cluster) {
            this(cluster, null);
        }

        public CommandType type() {
            return CommandType.PROBE_CLUSTER;
        }

        public ResourceRef target() {
            return ResourceRef.of(ResourceKind.CLUSTER, cluster);
        }

        public Map<String, String> args() {
            return words("kubeconfig", kubeconfig);
        }

        @Override
        public Command carriedOut() {
            return kubeconfig == null ? this : new ProbeCluster(cluster, REMOVED);
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    // --- backups and restores --------------------------------------------------------------------

    /** Create the ApplicationBackup on the backup's cluster (Classic: its location there first). */
    record RunBackup(Backup backup, BackupLocation location) implements Command {
        public RunBackup(Backup backup) {
            this(backup, null);
        }

        public CommandType type() {
            return CommandType.RUN_BACKUP;
        }

        public ResourceRef target() {
            return backup.ref();
        }

        public Map<String, String> args() {
            return words("cluster", backup.cluster(), "location", backup.location());
        }

        @Override
        public Command complete(Lookup lookup) {
            // the backup as the decision leaves it: with its uid, which its ApplicationBackup carries
            Backup identified = lookup.find(backup.ref()).filter(Backup.class::isInstance).map(Backup.class::cast).orElse(backup);
            return new RunBackup(identified, lookup.require(ResourceKind.BACKUP_LOCATION, backup.location(), BackupLocation.class));
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Create the ApplicationRestore on the restore's cluster, naming the backup as it is known there. */
    record RunRestore(Restore restore, Backup backup, BackupLocation location) implements Command {
        public RunRestore(Restore restore) {
            this(restore, null, null);
        }

        public CommandType type() {
            return CommandType.RUN_RESTORE;
        }

        public ResourceRef target() {
            return restore.ref();
        }

        public Map<String, String> args() {
            return words("cluster", restore.cluster(), "backup", restore.backup(), "replacePolicy", restore.replacePolicy().label());
        }

        @Override
        public Command complete(Lookup lookup) {
            Backup from = lookup.require(ResourceKind.BACKUP, restore.backup(), Backup.class);
            Restore identified = lookup.find(restore.ref()).filter(Restore.class::isInstance).map(Restore.class::cast).orElse(restore);
            return new RunRestore(identified, from, lookup.require(ResourceKind.BACKUP_LOCATION, from.location(), BackupLocation.class));
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Classic: delete the backup's folder in the bucket. */
    record DeleteBucketData(Backup backup, BackupLocation location) implements Command {
        public DeleteBucketData(Backup backup) {
            this(backup, null);
        }

        public CommandType type() {
            return CommandType.DELETE_BUCKET_DATA;
        }

        public ResourceRef target() {
            return backup.ref();
        }

        public Map<String, String> args() {
            return words("location", backup.location());
        }

        @Override
        public Command complete(Lookup lookup) {
            return new DeleteBucketData(backup, lookup.require(ResourceKind.BACKUP_LOCATION, backup.location(), BackupLocation.class));
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Federated: the backup's ApplicationBackup deleted on an eligible cluster with reclaimPolicy Delete; Stork deletes the data. */
    record DeleteBackupOnCluster(String backup, String cluster, BackupLocation location, String locationName) implements Command {
        public DeleteBackupOnCluster(String backup, String cluster, String location) {
            this(backup, cluster, null, location);
        }

        public CommandType type() {
            return CommandType.DELETE_BACKUP_ON_CLUSTER;
        }

        public ResourceRef target() {
            return ResourceRef.of(ResourceKind.BACKUP, backup);
        }

        public Map<String, String> args() {
            return words("cluster", cluster, "location", locationName);
        }

        @Override
        public Command complete(Lookup lookup) {
            return new DeleteBackupOnCluster(backup, cluster, lookup.require(ResourceKind.BACKUP_LOCATION, locationName, BackupLocation.class),
                    locationName);
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Federated: location.sync set on the location's BackupLocation on one eligible cluster; Stork syncs there. */
    record SyncOnCluster(String sync, String cluster, BackupLocation location, String locationName) implements Command {
        public SyncOnCluster(String sync, String cluster, String location) {
            this(sync, cluster, null, location);
        }

        public CommandType type() {
            return CommandType.SYNC_ON_CLUSTER;
        }

        public ResourceRef target() {
            return ResourceRef.of(ResourceKind.SYNC, sync);
        }

        public Map<String, String> args() {
            return words("cluster", cluster, "location", locationName);
        }

        @Override
        public Command complete(Lookup lookup) {
            return new SyncOnCluster(sync, cluster, lookup.require(ResourceKind.BACKUP_LOCATION, locationName, BackupLocation.class), locationName);
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    // --- schedules -------------------------------------------------------------------------------

    /** Start (or change) firing a schedule's trigger on its policy. */
    record RegisterSchedule(Schedule schedule, SchedulePolicy policy) implements Command {
        public RegisterSchedule(Schedule schedule) {
            this(schedule, null);
        }

        public CommandType type() {
            return CommandType.REGISTER_SCHEDULE;
        }

        public ResourceRef target() {
            return schedule.ref();
        }

        public Map<String, String> args() {
            return words("policy", schedule.policy());
        }

        @Override
        public Command complete(Lookup lookup) {
            return new RegisterSchedule(schedule, lookup.require(ResourceKind.SCHEDULE_POLICY, schedule.policy(), SchedulePolicy.class));
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Stop firing a schedule's trigger. */
    record UnregisterSchedule(String schedule) implements Command {
        public CommandType type() {
            return CommandType.UNREGISTER_SCHEDULE;
        }

        public ResourceRef target() {
            return ResourceRef.of(ResourceKind.SCHEDULE, schedule);
        }

        public Map<String, String> args() {
            return Map.of();
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    // --- discovery -------------------------------------------------------------------------------

    /** Federated: list the Gardener shoots of a discovery configuration; {@code kubeconfig}: Gardener's, when it came with the request. */
    record DiscoverShoots(DiscoveryConfig config, String kubeconfig) implements Command {
        public DiscoverShoots(DiscoveryConfig config) {
            this(config, null);
        }

        public CommandType type() {
            return CommandType.DISCOVER_SHOOTS;
        }

        public ResourceRef target() {
            return config.ref();
        }

        public Map<String, String> args() {
            return words("project", config.project(), "labelSelector", config.labelSelector(),
                    "periodMinutes", String.valueOf(config.periodMinutes()), "kubeconfig", kubeconfig);
        }

        @Override
        public Command carriedOut() {
            return kubeconfig == null ? this : new DiscoverShoots(config, REMOVED);
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    /** Federated: a fresh admin kubeconfig for a discovered shoot. */
    record RefreshKubeconfig(String cluster, DiscoveryConfig config, String configName) implements Command {
        public RefreshKubeconfig(String cluster, String config) {
            this(cluster, null, config);
        }

        public CommandType type() {
            return CommandType.REFRESH_KUBECONFIG;
        }

        public ResourceRef target() {
            return ResourceRef.of(ResourceKind.CLUSTER, cluster);
        }

        public Map<String, String> args() {
            return words("config", configName);
        }

        @Override
        public Command complete(Lookup lookup) {
            return new RefreshKubeconfig(cluster, lookup.require(ResourceKind.DISCOVERY_CONFIG, configName, DiscoveryConfig.class), configName);
        }

        @Override
        public String toString() {
            return text(this);
        }
    }

    // --- removal ---------------------------------------------------------------------------------

    /**
     * Remove what the engine placed for a resource being removed (custom resources, credentials,
     * triggers); {@code clusters}: for a location, every cluster it may have been written to.
     */
    record ReleaseResource(ResourceRef released, List<String> clusters) implements Command {
        public ReleaseResource(Resource resource) {
            this(resource.ref(), List.of());
        }

        public ReleaseResource {
            clusters = List.copyOf(clusters);
        }

        public CommandType type() {
            return CommandType.RELEASE_RESOURCE;
        }

        public ResourceRef target() {
            return released;
        }

        public Map<String, String> args() {
            return Map.of();
        }

        @Override
        public Command complete(Lookup lookup) {
            return released.kind() == ResourceKind.BACKUP_LOCATION
                    ? new ReleaseResource(released, new ArrayList<>(lookup.names(ResourceKind.CLUSTER))) : this;
        }

        @Override
        public String toString() {
            return text(this);
        }
    }
}
