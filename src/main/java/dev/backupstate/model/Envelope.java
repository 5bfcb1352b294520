package dev.backupstate.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An event with who sent it, how, when, and its idempotency key. Rules see it as a fact, so they can
 * stamp what they create with the time it was asked for.
 */
public record Envelope(String requestId, String user, Source source, Instant receivedAt, Event event) {

    public Envelope {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(event, "event");
    }
}
