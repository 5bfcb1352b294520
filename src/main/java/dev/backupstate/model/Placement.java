package dev.backupstate.model;

/**
 * An internal conclusion: work of this type on this resource must run on a cluster eligible for the
 * location, the {@code preferred} one if it is eligible (rules/connections.drl chooses).
 */
public record Placement(CommandType type, ResourceRef work, String location, String preferred) {
}
