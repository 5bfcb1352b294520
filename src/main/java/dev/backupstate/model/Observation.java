package dev.backupstate.model;

import static dev.backupstate.model.Fields.validName;
import static dev.backupstate.model.Fields.required;

import java.time.Instant;
import java.util.List;

/**
 * A fact the world reports: a probe, an agent's verdict, progress read from a cluster, a bucket
 * listing. Observations come from the engine's own routes; they go through the same rules as requests.
 */
public sealed interface Observation extends Event {

    private static ResourceRef ref(ResourceKind kind, String name) {
        return ResourceRef.of(kind, name);
    }

    /** A cluster probe's result: API reachable, credentials accepted, agent ready. */
    record ClusterProbed(String cluster, ClusterState observed, String cause) implements Observation {
        public ClusterProbed {
            validName(cluster, "spec.cluster");
            required(observed, "spec.observed");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.CLUSTER, cluster);
        }

        public String requested() {
            return observed.label();
        }
    }

    /** Classic: the engine's own check of a bucket with the location's credentials. */
    record LocationValidated(String location, boolean valid, String cause) implements Observation {
        public LocationValidated {
            validName(location, "spec.location");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP_LOCATION, location);
        }

        public String requested() {
            return valid ? "Valid" : "Invalid";
        }
    }

    /** Federated: a cluster's agent reports on the location it was given. */
    record ConnectionValidated(String location, String cluster, ConnectionState verdict, String cause)
            implements Observation {
        public ConnectionValidated {
            validName(location, "spec.location");
            validName(cluster, "spec.cluster");
            required(verdict, "spec.verdict");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.CONNECTION, Connection.nameOf(location, cluster));
        }

        public String requested() {
            return verdict.label();
        }
    }

    /**
     * Federated: a connection's verdict (its check Job on the cluster) has been awaited since
     * {@code since} ({@code waitedSeconds} when this was observed). The rules hold the limit.
     */
    record ConnectionVerdictAwaited(String location, String cluster, Instant since, long waitedSeconds) implements Observation {
        public ConnectionVerdictAwaited {
            validName(location, "spec.location");
            validName(cluster, "spec.cluster");
            required(since, "spec.since");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.CONNECTION, Connection.nameOf(location, cluster));
        }

        public String requested() {
            return "a verdict, awaited " + waitedSeconds + " s";
        }
    }

    /** A backup's progress read from its ApplicationBackup. */
    record BackupProgressed(String backup, BackupStatus status, String stage, String reason) implements Observation {
        public BackupProgressed {
            validName(backup, "spec.backup");
            required(status, "spec.status");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return status.label();
        }
    }

    /**
     * A running backup's ApplicationBackup has been out of sight since {@code since} ({@code waitedSeconds}
     * when this was observed): not on its cluster, or the cluster cannot be read; {@code cause} says which.
     * Reported again while it lasts; the rules hold the limit after which no word can come.
     */
    record BackupUnseen(String backup, Instant since, long waitedSeconds, String cause) implements Observation {
        public BackupUnseen {
            validName(backup, "spec.backup");
            required(since, "spec.since");
            required(cause, "spec.cause");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "out of sight for " + waitedSeconds + " s";
        }
    }

    /** A running restore's ApplicationRestore out of sight, as {@link BackupUnseen}. */
    record RestoreUnseen(String restore, Instant since, long waitedSeconds, String cause) implements Observation {
        public RestoreUnseen {
            validName(restore, "spec.restore");
            required(since, "spec.since");
            required(cause, "spec.cause");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.RESTORE, restore);
        }

        public String requested() {
            return "out of sight for " + waitedSeconds + " s";
        }
    }

    /**
     * A backup's ApplicationBackup has had no status from Stork since {@code since} ({@code waitedSeconds}
     * by the time of this report); the latest Kubernetes Event about it, if any ({@code eventType} Warning or Normal, Stork's reason and message).
     * Stork reports many refusals only this way (a namespace it may not back up, a missing rule).
     */
    record BackupSilent(String backup, Instant since, long waitedSeconds, String eventType, String eventReason, String eventMessage)
            implements Observation {
        public BackupSilent {
            validName(backup, "spec.backup");
            required(since, "spec.since");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "no status since " + since;
        }

        /** Stork's words for a refusal: a Warning event with the reason Failed. */
        public boolean refused() {
            return Silence.refused(eventType, eventReason);
        }

        /**
         * A refusal Stork gets over by itself: an exec rule it cannot find yet, which it looks up again on
         * every pass and then goes on (applicationbackup.go at the pinned commit: "Error getting
         * PreExecRule" / "PostExecRule", the event, then return without failing the backup).
         */
        public boolean retried() {
            return refused() && eventMessage != null
                    && (eventMessage.startsWith("Error getting PreExecRule") || eventMessage.startsWith("Error getting PostExecRule"));
        }

        /** Why it waits, for the backup's cause. */
        public String waiting() {
            return Silence.waiting(since, eventReason, eventMessage);
        }
    }

    /** As {@link BackupSilent}, for a restore's ApplicationRestore. */
    record RestoreSilent(String restore, Instant since, long waitedSeconds, String eventType, String eventReason, String eventMessage)
            implements Observation {
        public RestoreSilent {
            validName(restore, "spec.restore");
            required(since, "spec.since");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.RESTORE, restore);
        }

        public String requested() {
            return "no status since " + since;
        }

        public boolean refused() {
            return Silence.refused(eventType, eventReason);
        }

        public String waiting() {
            return Silence.waiting(since, eventReason, eventMessage);
        }
    }

    /** A backup's data is gone from its bucket (deleted by the engine or by a cluster's agent). */
    record BackupDataDeleted(String backup) implements Observation {
        public BackupDataDeleted {
            validName(backup, "spec.backup");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "removal from the catalog";
        }
    }

    /**
     * Federated: Stork on {@code cluster} was asked to delete the backup's data (its ApplicationBackup
     * there deleted with reclaimPolicy Delete); the data is gone when that object is.
     */
    record BackupDeletionAsked(String backup, String cluster) implements Observation {
        public BackupDeletionAsked {
            validName(backup, "spec.backup");
            validName(cluster, "spec.cluster");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "data deletion on cluster " + cluster;
        }
    }

    /** Federated: a deletion waits for something on the cluster (Stork's sync bringing the backup there). */
    /**
     * A restore's cluster does not have its backup yet (Stork's sync there has not brought the copy):
     * the ApplicationRestore is not created, and the engine asks again.
     */
    record RestoreWaiting(String restore, String cause) implements Observation {
        public RestoreWaiting {
            validName(restore, "spec.restore");
            required(cause, "spec.cause");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.RESTORE, restore);
        }

        public String requested() {
            return "restore waiting for its backup";
        }
    }

    /**
     * The name a backup's ApplicationBackup needs on its cluster is held by an object the engine did not
     * write for this backup (another tool's, or one left from an earlier backup of that name): nothing
     * was created, and Stork's object is not taken for the backup's.
     */
    record BackupNameTaken(String backup, String cluster, String cause) implements Observation {
        public BackupNameTaken {
            validName(backup, "spec.backup");
            validName(cluster, "spec.cluster");
            required(cause, "spec.cause");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "name taken on cluster " + cluster;
        }
    }

    /** As {@link BackupNameTaken}, for a restore's ApplicationRestore. */
    record RestoreNameTaken(String restore, String cluster, String cause) implements Observation {
        public RestoreNameTaken {
            validName(restore, "spec.restore");
            validName(cluster, "spec.cluster");
            required(cause, "spec.cause");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.RESTORE, restore);
        }

        public String requested() {
            return "name taken on cluster " + cluster;
        }
    }

    record BackupDeletionWaiting(String backup, String cause) implements Observation {
        public BackupDeletionWaiting {
            validName(backup, "spec.backup");
            required(cause, "spec.cause");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "data deletion waiting";
        }
    }

    /**
     * Federated: the deletion asked of Stork on {@code cluster} has been awaited since {@code since}
     * ({@code waitedSeconds} when this was observed): the backup's ApplicationBackup is still there, or the
     * cluster cannot be read. The rules hold the limit after which it is asked again.
     */
    record BackupDeletionAwaited(String backup, String cluster, Instant since, long waitedSeconds) implements Observation {
        public BackupDeletionAwaited {
            validName(backup, "spec.backup");
            validName(cluster, "spec.cluster");
            required(since, "spec.since");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "Deleting (awaited " + waitedSeconds + " s on cluster " + cluster + ")";
        }
    }

    /** Deleting a backup's data failed or did not finish in time; the deletion is tried again. */
    record BackupDataDeletionFailed(String backup, String cause) implements Observation {
        public BackupDataDeletionFailed {
            validName(backup, "spec.backup");
            required(cause, "spec.cause");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return "data deletion failed";
        }
    }

    /** A restore's progress read from its ApplicationRestore. */
    record RestoreProgressed(String restore, BackupStatus status, String reason) implements Observation {
        public RestoreProgressed {
            validName(restore, "spec.restore");
            required(status, "spec.status");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.RESTORE, restore);
        }

        public String requested() {
            return status.label();
        }
    }

    /** Federated: the agent started listing the bucket. */
    record SyncStarted(String location, String cluster) implements Observation {
        public SyncStarted {
            validName(location, "spec.location");
            validName(cluster, "spec.cluster");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SYNC, location);
        }

        public String requested() {
            return "InProgress";
        }
    }

    /** Federated: what Stork on the syncing cluster knows of the location's backups ({@code found}: its ApplicationBackups, read back). */
    record SyncCompleted(String location, List<FoundBackup> found) implements Observation {
        public SyncCompleted {
            validName(location, "spec.location");
            found = found == null ? List.of() : List.copyOf(found);
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SYNC, location);
        }

        public String requested() {
            return "Completed";
        }
    }

    record SyncFailed(String location, String cause) implements Observation {
        public SyncFailed {
            validName(location, "spec.location");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SYNC, location);
        }

        public String requested() {
            return "Failed";
        }
    }

    /**
     * Federated: Stork's sync pass on {@code cluster} was seen listing {@code location}: the sync's marker,
     * written to the bucket after the sync began, was copied there at {@code at}. The pass that follows it
     * ends the sync.
     */
    record SyncPassObserved(String location, String cluster, Instant at) implements Observation {
        public SyncPassObserved {
            validName(location, "spec.location");
            validName(cluster, "spec.cluster");
            required(at, "spec.at");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SYNC, location);
        }

        public String requested() {
            return "InProgress (Stork listed the location at " + at + ")";
        }
    }

    /**
     * Federated: what a running sync has been waiting for on its cluster since {@code since}
     * ({@code waitedSeconds} when this was observed): its marker written ("the marker Job"), Stork's pass
     * listing the location ("a pass listing the location"), that pass ending ("the pass to end"), or the
     * cluster answering. The rules hold the time limit.
     */
    record SyncAwaited(String location, String cluster, String awaiting, Instant since, long waitedSeconds) implements Observation {
        public SyncAwaited {
            validName(location, "spec.location");
            validName(cluster, "spec.cluster");
            required(awaiting, "spec.awaiting");
            required(since, "spec.since");
            if (waitedSeconds < 0) {
                throw new InvalidFieldException("spec.waitedSeconds", "must not be negative");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SYNC, location);
        }

        public String requested() {
            return "InProgress (waiting " + waitedSeconds + " s for " + awaiting + ")";
        }
    }

    /** Classic: the engine's periodic listing of a location's bucket. */
    record BucketPolled(String location, List<FoundBackup> found) implements Observation {
        public BucketPolled {
            validName(location, "spec.location");
            found = found == null ? List.of() : List.copyOf(found);
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP_LOCATION, location);
        }

        public String requested() {
            return "catalog update";
        }
    }

    /** Federated: the shoots of a discovery configuration's project that match its label selector. */
    /**
     * The shoots that match a discovery configuration (one Gardener is deleting matches no more), and which
     * of them are hibernated ({@code status.hibernated}, or {@code spec.hibernation.enabled}: their API
     * server is scaled down, so nothing on them can be reached).
     */
    record ShootsDiscovered(String config, List<String> shoots, List<String> hibernated) implements Observation {
        public ShootsDiscovered {
            validName(config, "spec.config");
            shoots = Fields.names(shoots, "spec.shoots");
            hibernated = hibernated == null ? List.of() : Fields.names(hibernated, "spec.hibernated");
            if (!shoots.containsAll(hibernated)) {
                throw new InvalidFieldException("spec.hibernated", "names shoots that are not in spec.shoots");
            }
        }

        public ShootsDiscovered(String config, List<String> shoots) {
            this(config, shoots, List.of());
        }

        public ResourceRef subject() {
            return ref(ResourceKind.DISCOVERY_CONFIG, config);
        }

        public String requested() {
            return "Success";
        }
    }

    record DiscoveryFailed(String config, String cause) implements Observation {
        public DiscoveryFailed {
            validName(config, "spec.config");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.DISCOVERY_CONFIG, config);
        }

        public String requested() {
            return "Failed";
        }
    }

    /** Classic: a KubeVirt VirtualMachine's printableStatus; {@code name} is namespace/name. */
    /** {@code printableStatus}: KubeVirt's own word for it, kept beside the state (null when it said none). */
    record VirtualMachineObserved(String name, String cluster, VirtualMachineState state, String printableStatus)
            implements Observation {
        public VirtualMachineObserved(String name, String cluster, VirtualMachineState state) {
            this(name, cluster, state, null);
        }

        public VirtualMachineObserved {
            required(name, "spec.name");
            validName(cluster, "spec.cluster");
            required(state, "spec.state");
        }

        public VirtualMachine observed() {
            return new VirtualMachine(name, state, cluster, printableStatus);
        }

        public ResourceRef subject() {
            return ref(ResourceKind.VIRTUAL_MACHINE, name);
        }

        public String requested() {
            return state.label();
        }

        public boolean upserts() {
            return true;
        }
    }

    /** A virtual machine the catalog holds is no longer on its cluster (deleted in KubeVirt). */
    record VirtualMachineGone(String name, String cluster) implements Observation {
        public VirtualMachineGone {
            required(name, "spec.name");
            validName(cluster, "spec.cluster");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.VIRTUAL_MACHINE, name);
        }

        public String requested() {
            return "gone from cluster " + cluster;
        }
    }

    /** What a RELEASE_RESOURCE command placed for a resource is gone; the resource can leave the catalog. */
    record ResourceReleased(ResourceKind kind, String name) implements Observation {
        public ResourceReleased {
            required(kind, "spec.kind");
            required(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(kind, name);
        }

        public String requested() {
            return "removal";
        }
    }
}
