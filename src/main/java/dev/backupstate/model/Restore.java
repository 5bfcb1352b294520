package dev.backupstate.model;

/** Matrix row 7: a restore of a backup onto a cluster. */
public record Restore(String name, RestoreState state, String backup, String cluster, ReplacePolicy replacePolicy,
                      String owner, String cause) implements Resource {

    @Override
    public ResourceKind kind() {
        return ResourceKind.RESTORE;
    }

    public Restore withState(RestoreState next, String why) {
        return new Restore(name, next, backup, cluster, replacePolicy, owner, why);
    }
}
