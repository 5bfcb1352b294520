package dev.backupstate.model;

/**
 * An internal conclusion (rules/backups.drl): this backup's data is to be deleted. How depends on the
 * mode, and is decided in one place, whichever rule (delete, retention, cascade) concluded it.
 */
public record DataDeletion(Backup backup) {
}
