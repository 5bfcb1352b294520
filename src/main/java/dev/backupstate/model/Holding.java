package dev.backupstate.model;

/**
 * A fact beside a person's request that creates something they will own: how many resources of that
 * kind they hold now, and how many they may hold (bse.limits.*-per-user). Rules decide what it means.
 */
public record Holding(ResourceKind kind, long held, long limit) {
}
