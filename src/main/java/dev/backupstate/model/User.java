package dev.backupstate.model;

/**
 * Matrix row 2: a user or user group, with the role the engine knows it by. {@code admin} is the
 * role's shorthand that rules match on; the two always agree.
 */
public record User(String name, UserState state, boolean admin, Role role) implements Resource {

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
        return new User(name, next, admin, role);
    }
}
