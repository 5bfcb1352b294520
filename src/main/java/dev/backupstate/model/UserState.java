package dev.backupstate.model;

/** States of a user or user group (matrix row 2). */
public enum UserState implements State {
    /** Credentials work. */
    ACTIVE("Active"),
    /** Credentials do not work; operations are refused. */
    INACTIVE("Inactive"),
    /** Deleted from the identity provider, or not known to the engine. */
    UNKNOWN("Unknown");

    private final String label;

    UserState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
