package dev.backupstate.model;

/**
 * Matrix row 3: an application cluster. {@code managed} is false for a discovered cluster whose shoot
 * stopped matching its discovery configuration; {@code discoveryConfig} is null when added by hand.
 */
public record Cluster(String name, ClusterState state, String cause, boolean managed, String discoveryConfig,
                      String owner, String uid) implements Resource {

    /** The cause of a discovered cluster whose shoot Gardener hibernated: nothing on it answers until it wakes. */
    public static final String HIBERNATED = "its shoot is hibernated in Gardener";

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public Cluster(String name, ClusterState state, String cause, boolean managed, String discoveryConfig, String owner) {
        this(name, state, cause, managed, discoveryConfig, owner, null);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.CLUSTER;
    }

    public Cluster withState(ClusterState next, String why) {
        return new Cluster(name, next, why, managed, discoveryConfig, owner, uid);
    }

    public Cluster withManaged(boolean isManaged) {
        return new Cluster(name, state, cause, isManaged, discoveryConfig, owner, uid);
    }

    @Override
    public Cluster withUid(String identity) {
        return new Cluster(name, state, cause, managed, discoveryConfig, owner, identity);
    }
}
