package dev.backupstate.model;

/**
 * A derived fact the rules infer (rules/connections.drl): this cluster may act on this location's
 * bucket for the engine in Federated mode.
 */
public record Eligible(String location, String cluster) {
}
