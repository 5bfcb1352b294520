package dev.backupstate.model;

import java.time.Instant;
import java.util.List;

/**
 * Matrix row 6: one backup in the catalog. {@code schedule} is null for a manual backup;
 * {@code incrementalOf} names the backup this one depends on; {@code virtualMachine} is set for a VM
 * backup (Classic only).
 */
public record Backup(String name, BackupState state, String cluster, String location, String owner,
                     String schedule, String incrementalOf, Instant created, List<String> namespaces,
                     String virtualMachine, BackupMethod method, String preExecRule, String postExecRule,
                     String cause, String labelSelector) implements Resource {

    /** A backup of whole namespaces (no label selector). */
    public Backup(String name, BackupState state, String cluster, String location, String owner, String schedule,
                  String incrementalOf, Instant created, List<String> namespaces, String virtualMachine, BackupMethod method,
                  String preExecRule, String postExecRule, String cause) {
        this(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces, virtualMachine, method,
                preExecRule, postExecRule, cause, null);
    }

    public Backup {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        method = method == null ? BackupMethod.SNAPSHOT : method;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.BACKUP;
    }

    public Backup withState(BackupState next, String why) {
        return new Backup(name, next, cluster, location, owner, schedule, incrementalOf, created, namespaces,
                virtualMachine, method, preExecRule, postExecRule, why, labelSelector);
    }

    public boolean hasFreezeRules() {
        return preExecRule != null || postExecRule != null;
    }
}
