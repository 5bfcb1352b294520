package dev.backupstate.model;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of resource the engine tracks, with the modes each exists in (STATE-MATRIX.md). */
public enum ResourceKind {
    BACKUP_LOCATION("backup-locations", BackupLocation.class, BackupLocationState.class, Mode.CLASSIC, Mode.FEDERATED),
    USER("users", User.class, UserState.class, Mode.CLASSIC, Mode.FEDERATED),
    CLUSTER("clusters", Cluster.class, ClusterState.class, Mode.CLASSIC, Mode.FEDERATED),
    VIRTUAL_MACHINE("virtual-machines", VirtualMachine.class, VirtualMachineState.class, Mode.CLASSIC),
    SCHEDULE("schedules", Schedule.class, ScheduleState.class, Mode.CLASSIC, Mode.FEDERATED),
    BACKUP("backups", Backup.class, BackupState.class, Mode.CLASSIC, Mode.FEDERATED),
    RESTORE("restores", Restore.class, RestoreState.class, Mode.CLASSIC, Mode.FEDERATED),
    DISCOVERY_CONFIG("discovery-configs", DiscoveryConfig.class, DiscoveryState.class, Mode.FEDERATED),
    CONNECTION("connections", Connection.class, ConnectionState.class, Mode.FEDERATED),
    SYNC("syncs", Sync.class, SyncState.class, Mode.FEDERATED),
    SCHEDULE_POLICY("schedule-policies", SchedulePolicy.class, null, Mode.CLASSIC, Mode.FEDERATED),
    SHARE("shares", Share.class, null, Mode.CLASSIC, Mode.FEDERATED);

    private final String path;
    private final Class<? extends Resource> type;
    private final Class<? extends Enum<?>> states;
    private final Set<Mode> modes;

    ResourceKind(String path, Class<? extends Resource> type, Class<? extends Enum<?>> states, Mode first, Mode... more) {
        this.path = path;
        this.type = type;
        this.states = states;
        this.modes = EnumSet.of(first, more);
    }

    /** The record that holds a resource of this kind. */
    public Class<? extends Resource> type() {
        return type;
    }

    /** The states a resource of this kind can be in, by the matrix's names; empty for the stateless kinds. */
    public Set<String> stateLabels() {
        Set<String> labels = new java.util.LinkedHashSet<>();
        if (states != null) {
            for (Enum<?> state : states.getEnumConstants()) {
                labels.add(((State) state).label());
            }
        }
        return labels;
    }

    /** Whether resources of this kind carry the operator's labels. */
    public boolean hasLabels() {
        return this == BACKUP || this == SCHEDULE;
    }

    /** The plural, hyphenated name used in the REST API and in messages ("backup-locations"). */
    public String path() {
        return path;
    }

    public boolean existsIn(Mode mode) {
        return modes.contains(mode);
    }

    public static ResourceKind fromPath(String path) {
        for (ResourceKind kind : values()) {
            if (kind.path.equalsIgnoreCase(path)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + path + "' is not a resource kind");
    }
}
