package dev.backupstate.model;

/**
 * A stateless supporting resource: a backup shared with a user. {@code backupUid} is the identity of
 * the backup shared: a later backup of the same name is not shared by it.
 */
public record Share(String backup, String user, ShareAccess access, String backupUid, String uid) implements Resource {

    /** Not yet created: the decision loop gives it its uid and its backup's when a decision creates it. */
    public Share(String backup, String user, ShareAccess access) {
        this(backup, user, access, null, null);
    }

    /** The share of this backup as it is now (name and identity). */
    public boolean of(Backup shared) {
        return shared.name().equals(backup) && java.util.Objects.equals(shared.uid(), backupUid);
    }

    /** The same share, of the backup with this identity. */
    public Share ofBackup(String identity) {
        return new Share(backup, user, access, identity, uid);
    }

    @Override
    public Share withUid(String identity) {
        return new Share(backup, user, access, backupUid, identity);
    }

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
