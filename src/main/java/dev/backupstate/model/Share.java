package dev.backupstate.model;

/** A stateless supporting resource: a backup shared with a user. */
public record Share(String backup, String user, ShareAccess access) implements Resource {

    public static String nameOf(String backup, String user) {
        return backup + ":" + user;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SHARE;
    }

    @Override
    public String name() {
        return nameOf(backup, user);
    }

    @Override
    public State state() {
        return null;
    }

    public boolean allowsRestore() {
        return access != ShareAccess.VIEW;
    }
}
