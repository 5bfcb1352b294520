package dev.backupstate.store;

import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * A request id its user already used: the first outcome, and what that first document was. The
 * same id with the same document gets the first outcome back; with another document it is refused
 * (REQUEST_ID_REUSED), so a reused id never silently stands for something else.
 */
public record EarlierRequest(Outcome outcome, String fingerprint, String eventKind, String subject, Instant at) {

    public static final String REQUEST_ID_REUSED = "REQUEST_ID_REUSED";

    /** What a repeat of this request id, carrying {@code envelope}, gets back. */
    public Outcome answer(Envelope envelope) {
        if (fingerprint.isEmpty() || fingerprint.equals(envelope.fingerprint())) {
            return outcome;
        }
        return new Outcome(envelope.requestId(), false, REQUEST_ID_REUSED, "request id " + envelope.requestId()
                + " was first used at " + at + " for " + eventKind + " on " + subject + "; this document is "
                + envelope.event().operation() + " on " + envelope.event().subject()
                + " or differs from it: use a new request id", null, List.of());
    }
}
