package dev.backupstate.model;

/** A fact in every evaluation: the engine's settings the rules may read. */
public record Engine(Mode mode) {
}
