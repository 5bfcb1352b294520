package dev.backupstate.inbox;

import dev.backupstate.model.Event;

/** A parsed operation document: who asks, its idempotency key (null when the document has none), and what. */
public record OperationDocument(String requestId, String user, Event event) {
}
