package dev.backupstate.effects;

/**
 * An effect that cannot finish yet for a reason that is not a failure (Stork on a cluster has not synced
 * the backup it needs): the command stays in the outbox and is tried again with back-off, and the log
 * says why in one line, without a stack trace.
 */
public final class EffectPending extends IllegalStateException {

    public EffectPending(String why) {
        super(why);
    }
}
