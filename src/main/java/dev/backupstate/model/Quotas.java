package dev.backupstate.model;

/**
 * How many schedules, backups and restores one user may hold at once (bse.limits.*-per-user; 0: no
 * limit). Backups a schedule makes count for its owner, but a schedule's run is never refused for it:
 * its retention bounds them.
 */
public record Quotas(long schedules, long backups, long restores) {

    public static final Quotas NONE = new Quotas(0, 0, 0);

    public Quotas {
        if (schedules < 0 || backups < 0 || restores < 0) {
            throw new IllegalArgumentException("bse.limits.*-per-user: 0 (no limit) or more, not a negative number");
        }
    }

    /** The limit for a kind (0: none). */
    public long of(ResourceKind kind) {
        return switch (kind) {
            case SCHEDULE -> schedules;
            case BACKUP -> backups;
            case RESTORE -> restores;
            default -> 0;
        };
    }
}
