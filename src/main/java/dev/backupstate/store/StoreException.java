package dev.backupstate.store;

/** The database failed us; the message says what the engine was doing. */
public class StoreException extends RuntimeException {

    public StoreException(String what, Throwable cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
