package dev.backupstate.model;

/**
 * Matrix row 2: a user or user group, with the role the engine knows it by. {@code admin} is the
 * role's shorthand that rules match on; the two always agree.
 */
public record User(String name, UserState state, boolean admin, Role role, String uid) implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public User(String name, UserState state, boolean admin, Role role) {
        this(name, state, admin, role, null);
    }

    public User {
        role = role == null ? (admin ? Role.ADMIN : Role.OPERATOR) : role;
        admin = role == Role.ADMIN;
    }

    public User(String name, UserState state, boolean admin) {
        this(name, state, admin, null);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.USER;
    }

    public User withState(UserState next) {
        return new User(name, next, admin, role, uid);
    }

    @Override
    public User withUid(String identity) {
        return new User(name, state, admin, role, identity);
    }
}
