package dev.backupstate.model;

/**
 * Matrix row 3: an application cluster. {@code managed} is false for a discovered cluster whose shoot
 * stopped matching its discovery configuration; {@code discoveryConfig} is null when added by hand.
 */
public record Cluster(String name, ClusterState state, String cause, boolean managed, String discoveryConfig,
                      String owner) implements Resource {

    @Override
    public ResourceKind kind() {
        return ResourceKind.CLUSTER;
    }

    public Cluster withState(ClusterState next, String why) {
        return new Cluster(name, next, why, managed, discoveryConfig, owner);
    }

    public Cluster withManaged(boolean isManaged) {
        return new Cluster(name, state, cause, isManaged, discoveryConfig, owner);
    }
}
