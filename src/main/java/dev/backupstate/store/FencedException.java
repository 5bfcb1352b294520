package dev.backupstate.store;

/** A commit refused because this engine does not hold the leadership epoch: nothing was written. */
public final class FencedException extends RuntimeException {

    public FencedException(String why) {
        super(why);
    }
}
