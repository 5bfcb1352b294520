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

    /** What the request says, as a digest: the same document sent twice has the same fingerprint. */
    public String fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((event.operation() + ":" + event).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
