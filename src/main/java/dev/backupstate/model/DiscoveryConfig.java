package dev.backupstate.model;

/**
 * Matrix row 8 (Federated only): which Gardener shoots of a project are onboarded as clusters. The
 * Gardener kubeconfig is not part of it: like a cluster's, it is kept apart from the catalog.
 */
public record DiscoveryConfig(String name, DiscoveryState state, String project, String labelSelector,
                              int periodMinutes, String owner, String cause, String uid) implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public DiscoveryConfig(String name, DiscoveryState state, String project, String labelSelector, int periodMinutes, String owner, String cause) {
        this(name, state, project, labelSelector, periodMinutes, owner, cause, null);
    }

    /** The matrix's lower bound on the auto-discover period. */
    public static final int MIN_PERIOD_MINUTES = 15;

    public DiscoveryConfig {
        labelSelector = labelSelector == null ? "" : labelSelector;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.DISCOVERY_CONFIG;
    }

    public DiscoveryConfig withState(DiscoveryState next, String why) {
        return new DiscoveryConfig(name, next, project, labelSelector, periodMinutes, owner, why, uid);
    }

    @Override
    public DiscoveryConfig withUid(String identity) {
        return new DiscoveryConfig(name, state, project, labelSelector, periodMinutes, owner, cause, identity);
    }
}
