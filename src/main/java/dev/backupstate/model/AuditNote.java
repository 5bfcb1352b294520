package dev.backupstate.model;

/** Something the audit trail must say about a decision, such as the data a force delete left behind. */
public record AuditNote(String text) {
}
