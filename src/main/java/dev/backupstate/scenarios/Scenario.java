package dev.backupstate.scenarios;

import dev.backupstate.model.CredentialGrant;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Resource;
import java.util.List;

/**
 * One given/when/then case from a file under rules/scenarios: a world (mode and resources in states),
 * one event, and what the rules must conclude. {@code problem} is set instead when the case itself
 * cannot be read; running it then fails with that problem.
 */
public record Scenario(String file, String name, Mode mode, List<Resource> given, List<CredentialGrant> credentials,
                       Envelope when, Expectation then, String problem, dev.backupstate.model.Quotas quotas) {

    public Scenario(String file, String name, Mode mode, List<Resource> given, List<CredentialGrant> credentials,
                    Envelope when, Expectation then, String problem) {
        this(file, name, mode, given, credentials, when, then, problem, dev.backupstate.model.Quotas.NONE);
    }

    static Scenario unreadable(String file, String name, String problem) {
        return new Scenario(file, name, null, List.of(), List.of(), null, null, problem);
    }
}
