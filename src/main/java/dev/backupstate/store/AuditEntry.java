package dev.backupstate.store;

import java.time.Instant;
import java.util.List;

/**
 * One decision as the audit trail keeps it, with the generation of the rules that made it and, when
 * refused, every rule's refusal; {@code dryRun} marks a dry run, which changed nothing.
 */
public record AuditEntry(long id, Instant at, String actor, String source, String requestId, String eventKind,
                         String subject, boolean accepted, String reason, String rule, String message,
                         List<String> transitions, List<String> notes, long generation,
                         List<dev.backupstate.model.Decision.Ruling> refusals, boolean dryRun) {
}
