package dev.backupstate.engine;

import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;

/** Told of every request the loop answers, after its commit; must not block or throw. */
@FunctionalInterface
public interface DecisionListener {

    /** {@code repeated}: the request id was known and the first outcome was returned; nothing acted. */
    void decided(Envelope envelope, Outcome outcome, boolean repeated);
}
