package dev.backupstate.model;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of resource the engine tracks, with the modes each exists in (STATE-MATRIX.md). */
public enum ResourceKind {
    BACKUP_LOCATION("backup-locations", Mode.CLASSIC, Mode.FEDERATED),
    USER("users", Mode.CLASSIC, Mode.FEDERATED),
    CLUSTER("clusters", Mode.CLASSIC, Mode.FEDERATED),
    VIRTUAL_MACHINE("virtual-machines", Mode.CLASSIC),
    SCHEDULE("schedules", Mode.CLASSIC, Mode.FEDERATED),
    BACKUP("backups", Mode.CLASSIC, Mode.FEDERATED),
    RESTORE("restores", Mode.CLASSIC, Mode.FEDERATED),
    DISCOVERY_CONFIG("discovery-configs", Mode.FEDERATED),
    CONNECTION("connections", Mode.FEDERATED),
    SYNC("syncs", Mode.FEDERATED),
    SCHEDULE_POLICY("schedule-policies", Mode.CLASSIC, Mode.FEDERATED),
    SHARE("shares", Mode.CLASSIC, Mode.FEDERATED);

    private final String path;
    private final Set<Mode> modes;

    ResourceKind(String path, Mode first, Mode... more) {
        this.path = path;
        this.modes = EnumSet.of(first, more);
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
