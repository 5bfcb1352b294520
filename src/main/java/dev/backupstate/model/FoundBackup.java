package dev.backupstate.model;

import java.time.Instant;
import java.util.List;

/** One backup.json read from a bucket by a sync or poll (DESIGN.md "Object layout in a bucket"). */
public record FoundBackup(String name, String cluster, Instant created, BackupStatus status, String incrementalOf,
                          List<String> namespaces) {

    public FoundBackup {
        Fields.validName(name, "found.name");
        Fields.validName(cluster, "found.cluster");
        status = status == null ? BackupStatus.SUCCESS : status;
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    /** The catalog entry for a backup found in a bucket but unknown to the engine. */
    public Backup imported(String location, String owner) {
        BackupState state = status == BackupStatus.PARTIAL_SUCCESS ? BackupState.PARTIAL_SUCCESS
                : status == BackupStatus.FAILURE ? BackupState.FAILURE : BackupState.SUCCESS;
        return new Backup(name, state, cluster, location, owner, null, incrementalOf, created, namespaces, null,
                BackupMethod.SNAPSHOT, null, null, "imported by sync");
    }
}
