package dev.backupstate.model;

/**
 * Matrix row 8 (Federated only): which Gardener shoots of a project are onboarded as clusters. The
 * Gardener kubeconfig is not part of it: like a cluster's, it is kept apart from the catalog.
 */
public record DiscoveryConfig(String name, DiscoveryState state, String project, String labelSelector,
                              int periodMinutes, String owner, String cause) implements Resource {

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
        return new DiscoveryConfig(name, next, project, labelSelector, periodMinutes, owner, why);
    }
}
