package dev.backupstate.model;

import java.time.Instant;
import java.util.List;

/** One backup a sync found: a metadata.json in a bucket, or Stork's ApplicationBackup on a cluster (DESIGN.md "Object layout in a bucket"). */
public record FoundBackup(String name, String cluster, Instant created, BackupStatus status, String incrementalOf,
                          List<String> namespaces) {

    public FoundBackup {
        checkNames(name, cluster);
        status = status == null ? BackupStatus.SUCCESS : status;
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    /** Stork finished it (Successful, PartialSuccess or Failed): only such a backup is imported. */
    public boolean finished() {
        return status.finished();
    }

    /**
     * What a bucket or a cluster says names a backup and its cluster (unknown for a backup the engine did
     * not make); a name that is not a valid one is refused, named.
     */
    public static void checkNames(String name, String cluster) {
        Fields.validName(name, "backup name");
        if (cluster != null) {
            Fields.validName(cluster, "cluster name");
        }
    }

    /** The catalog entry for a backup found in a bucket but unknown to the engine. */
    public Backup imported(String location, String owner) {
        BackupState state = status == BackupStatus.PARTIAL_SUCCESS ? BackupState.PARTIAL_SUCCESS
                : status == BackupStatus.FAILURE ? BackupState.FAILURE : BackupState.SUCCESS;
        return new Backup(name, state, cluster, location, owner, null, incrementalOf, created, namespaces, null,
                BackupMethod.SNAPSHOT, null, null, "imported by sync");
    }
}
