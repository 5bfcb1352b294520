package dev.backupstate.model;

import java.time.Instant;

/** What a silent ApplicationBackup's or ApplicationRestore's latest Event means, in one place for both. */
final class Silence {

    private Silence() {
    }

    /** Stork's words for a refusal before it starts (recorder.Event): a Warning with the reason Failed. */
    static boolean refused(String eventType, String eventReason) {
        return "Warning".equals(eventType) && "Failed".equals(eventReason);
    }

    static String waiting(Instant since, String eventReason, String eventMessage) {
        return "no status from Stork since " + since + (eventMessage == null ? "" : "; last event: " + eventReason + ": " + eventMessage);
    }
}
