package dev.backupstate.scenarios;

import java.util.List;

/**
 * What a scenario expects. Lists left out are not checked; an empty list means "none". Transitions and
 * commands are compared as written by their toString ("backups/b1: Success -> Deleting",
 * "RUN_BACKUP backups/b1 cluster=c1 location=l1"), in any order; notes and message by substring.
 */
public record Expectation(boolean accepted, String reason, String rule, String message, List<String> transitions,
                          List<String> commands, List<String> notes) {
}
