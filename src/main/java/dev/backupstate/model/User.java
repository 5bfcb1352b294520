package dev.backupstate.model;

/** Matrix row 2: a user or user group. */
public record User(String name, UserState state, boolean admin) implements Resource {

    @Override
    public ResourceKind kind() {
        return ResourceKind.USER;
    }

    public User withState(UserState next) {
        return new User(name, next, admin);
    }
}
