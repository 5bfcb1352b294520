package dev.backupstate.model;

/**
 * What a user may do, as Portworx Backup's built-in roles: each role may do what the ones below it
 * may. The roles table ({@link OperationRoles}, README "Security") gives each operation its role.
 */
public enum Role implements Labelled {
    /** Reads what is theirs or shared with them; changes nothing. */
    VIEWER("viewer"),
    /** Backs up, restores, schedules and shares what is theirs, on the fleet the admins set up. */
    OPERATOR("operator"),
    /** Sets up the fleet: clusters, locations, credentials, users, discovery; sees everything. */
    ADMIN("admin"),
    /** The engine itself: observations, schedule fires, its configuration. No person has it. */
    ENGINE("engine");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** True when this role may do what {@code needed} may. */
    public boolean covers(Role needed) {
        return ordinal() >= needed.ordinal();
    }
}
