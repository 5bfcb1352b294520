package dev.backupstate.model;

/** A rule's refusal; the rule book records which rule inserted it. */
public record Rejection(Reason reason, String message) {
}
