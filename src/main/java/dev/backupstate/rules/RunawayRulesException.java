package dev.backupstate.rules;

/**
 * An evaluation hit the firing cap: some rule keeps re-activating itself. The event is refused, not
 * decided, and the message names the rules that fired most.
 */
public class RunawayRulesException extends RuntimeException {

    public RunawayRulesException(String message) {
        super(message);
    }
}
