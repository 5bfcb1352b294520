package dev.backupstate.model;

/** A fact in every evaluation: who asks. A name the catalog does not know is an Unknown actor. */
public record Actor(String name, UserState state, boolean admin) {

    public static Actor of(User user, String name) {
        return user == null ? new Actor(name, UserState.UNKNOWN, false) : new Actor(name, user.state(), user.admin());
    }

    /** The engine itself, for observations: always active, never an owner. */
    public static Actor engine() {
        return new Actor("engine", UserState.ACTIVE, true);
    }
}
