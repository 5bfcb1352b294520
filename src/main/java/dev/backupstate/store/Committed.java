package dev.backupstate.store;

import dev.backupstate.model.Outcome;

/**
 * The result of committing a decision: its outcome, and whether this call acted. A request id seen
 * before gets the first outcome back with {@code acted == false}, and nothing is written.
 */
public record Committed(Outcome outcome, boolean acted) {
}
