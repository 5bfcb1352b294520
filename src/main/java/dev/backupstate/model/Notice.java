package dev.backupstate.model;

import java.time.Instant;
import java.util.List;

/**
 * Something worth telling people about (issue 14), as the notification sinks send it: what happened
 * ({@code event}, one of {@link Notice.Kind}), to which resource, its state and reason in the words the
 * API and the audit use, where (cluster, location) and what the rules said. {@code id} is the store's,
 * the same on every redelivery, so a receiver can drop a repeat.
 */
public record Notice(long id, Instant at, Kind event, String resourceKind, String name, String state, String reason,
                     String cluster, String location, String message, List<String> notes, String requestId) {

    public Notice {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public Notice withId(long id) {
        return new Notice(id, at, event, resourceKind, name, state, reason, cluster, location, message, notes, requestId);
    }

    /** The events a sink can be told of; a sink's filter names them as written here. */
    public enum Kind {
        BackupFailed, BackupPartialSuccess, BackupForceDeleted, BackupRetired, RestoreEnded,
        LocationInvalidOnCluster, LocationValidOnCluster, ClusterLeftActive, ClusterActiveAgain,
        ScheduleRunSkipped, ScheduleOverdue, RulesReloadRefused, NoticesSummarised
    }

    /** One line for a chat message or a mail subject. */
    public String headline() {
        StringBuilder line = new StringBuilder(switch (event) {
            case BackupFailed -> "Backup " + name + " failed";
            case BackupPartialSuccess -> "Backup " + name + " partly succeeded";
            case BackupForceDeleted -> "Backup " + name + " force deleted; its data stays in the bucket";
            case BackupRetired -> "Backup " + name + " is deleted by its schedule's retention";
            case RestoreEnded -> "Restore " + name + " ended " + state;
            case LocationInvalidOnCluster -> "Location " + location + " is Invalid on cluster " + cluster;
            case LocationValidOnCluster -> "Location " + location + " is Valid again on cluster " + cluster;
            case ClusterLeftActive -> "Cluster " + name + " is " + state;
            case ClusterActiveAgain -> "Cluster " + name + " is Active again";
            case ScheduleRunSkipped -> "Schedule " + name + " skipped a run";
            case ScheduleOverdue -> "Schedule " + name + " is overdue";
            case RulesReloadRefused -> "Rules reload refused";
            case NoticesSummarised -> message;
        });
        if (reason != null && !reason.isBlank()) {
            line.append(" (").append(reason).append(')');
        }
        return line.toString();
    }
}
