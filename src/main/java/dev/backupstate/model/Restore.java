package dev.backupstate.model;

/** Matrix row 7: a restore of a backup onto a cluster. */
public record Restore(String name, RestoreState state, String backup, String cluster, ReplacePolicy replacePolicy,
                      String owner, String cause, String uid, java.util.Map<String, String> namespaceMapping) implements Resource {

    /** {@code namespaceMapping}: a backed-up namespace to the one it is restored into (Stork's namespaceMapping); unlisted ones to themselves. */
    public Restore {
        namespaceMapping = namespaceMapping == null || namespaceMapping.isEmpty() ? null
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(namespaceMapping));
    }

    public Restore(String name, RestoreState state, String backup, String cluster, ReplacePolicy replacePolicy,
                   String owner, String cause, String uid) {
        this(name, state, backup, cluster, replacePolicy, owner, cause, uid, null);
    }

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public Restore(String name, RestoreState state, String backup, String cluster, ReplacePolicy replacePolicy, String owner, String cause) {
        this(name, state, backup, cluster, replacePolicy, owner, cause, null, null);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.RESTORE;
    }

    public Restore withState(RestoreState next, String why) {
        return new Restore(name, next, backup, cluster, replacePolicy, owner, why, uid, namespaceMapping);
    }

    @Override
    public Restore withUid(String identity) {
        return new Restore(name, state, backup, cluster, replacePolicy, owner, cause, identity, namespaceMapping);
    }
}
