package dev.backupstate.store;

import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;

/** A request and the decision the rules made on it, waiting to be committed. */
public record Decided(Envelope envelope, Decision decision) {
}
