package dev.backupstate.model;

/** A rule's acceptance; the rule book records which rule inserted it. */
public record Acceptance(String message) {
}
