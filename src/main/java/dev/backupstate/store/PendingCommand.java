package dev.backupstate.store;

import dev.backupstate.model.Command;

/** A command of a committed decision that the routes have not carried out yet. */
public record PendingCommand(long id, String requestId, Command command) {
}
