package dev.backupstate.store;

import java.sql.SQLException;

/** A request id in a group commit was stored meanwhile (by another instance); nothing was written. */
public final class DuplicateRequestException extends StoreException {

    public DuplicateRequestException(SQLException cause) {
        super("committing decisions together: a request id was already stored", cause);
    }
}
