package dev.backupstate.rules;

import java.time.Instant;

/**
 * A rule that threw while deciding (a bad {@code Reason.valueOf}, a null in a consequence): which rule,
 * where it is written (null when unknown), the exception's message, and when.
 */
public record RuleError(String rule, String file, int line, String message, Instant at) {

    /** "rule "X" (backups.drl:42) failed: message". */
    public String describe() {
        return "rule \"" + rule + "\"" + (file == null ? "" : " (" + file + ":" + line + ")") + " failed: " + message;
    }
}
