package dev.backupstate.model;

/**
 * A fact in every evaluation: who asks, as the inbox's channel identified them. A name the catalog
 * does not know is an Unknown actor; the engine is the only actor with the engine role.
 */
public record Actor(String name, UserState state, boolean admin, Role role) {

    public Actor {
        role = role == null ? (admin ? Role.ADMIN : Role.OPERATOR) : role;
        admin = role.covers(Role.ADMIN);
    }

    public Actor(String name, UserState state, boolean admin) {
        this(name, state, admin, null);
    }

    public static Actor of(User user, String name) {
        return user == null ? new Actor(name, UserState.UNKNOWN, false, Role.VIEWER)
                : new Actor(name, user.state(), user.admin(), user.role());
    }

    /** The engine itself, for observations: always active, never an owner. */
    public static Actor engine() {
        return new Actor(ENGINE_NAME, UserState.ACTIVE, true, Role.ENGINE);
    }

    public static final String ENGINE_NAME = "engine";

    public boolean isEngine() {
        return role == Role.ENGINE;
    }
}
