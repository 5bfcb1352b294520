package dev.backupstate.model;

/**
 * An internal conclusion: work of this type on this resource must run on a cluster eligible for the
 * location, the {@code preferred} one if it is eligible (rules/connections.drl chooses).
 */
public record Placement(CommandType type, ResourceRef work, String location, String preferred) {

    /** The placed work as a command for {@code cluster}. */
    public Command on(String cluster) {
        return switch (type) {
            case DELETE_BACKUP_ON_CLUSTER -> new Command.DeleteBackupOnCluster(work.name(), cluster, location);
            case SYNC_ON_CLUSTER -> new Command.SyncOnCluster(work.name(), cluster, location);
            default -> throw new IllegalArgumentException(type + " is not work placed on an eligible cluster");
        };
    }
}
