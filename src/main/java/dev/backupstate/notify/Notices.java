package dev.backupstate.notify;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Notice;
import dev.backupstate.model.Reason;
import dev.backupstate.model.Request;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import dev.backupstate.model.Transition;
import java.util.ArrayList;
import java.util.List;

/**
 * The notices a decision gives rise to, read off what it changed: the rules decided, this only names
 * the outcomes people asked to hear of (a backup ending Failure, a connection going Invalid, ...). Stored
 * with the decision in its transaction, so a notice is never lost and never made up by a decision that
 * did not commit.
 */
public final class Notices {

    private Notices() {
    }

    public static List<Notice> of(Envelope envelope, Decision decision) {
        List<Notice> notices = new ArrayList<>();
        if (!decision.accepted()) {
            skippedRun(envelope, decision, notices);
            return notices;
        }
        for (Transition transition : decision.transitions()) {
            Resource after = transition.after();
            if (after instanceof Backup backup && transition.from() != backup.state()) {
                if (retired(envelope, transition, backup)) {
                    notices.add(notice(envelope, decision, Notice.Kind.BackupRetired, backup, backup.cause(), backup.cluster(), backup.location()));
                } else if (backup.state() == BackupState.FAILURE) {
                    notices.add(notice(envelope, decision, Notice.Kind.BackupFailed, backup, backup.cause(), backup.cluster(), backup.location()));
                } else if (backup.state() == BackupState.PARTIAL_SUCCESS) {
                    notices.add(notice(envelope, decision, Notice.Kind.BackupPartialSuccess, backup, backup.cause(), backup.cluster(), backup.location()));
                }
            } else if (after instanceof Restore restore && transition.from() != restore.state() && ended(restore.state())) {
                notices.add(notice(envelope, decision, Notice.Kind.RestoreEnded, restore, restore.cause(), restore.cluster(), null));
            } else if (after instanceof Connection connection && transition.from() != connection.state()) {
                if (connection.state() == ConnectionState.INVALID) {
                    notices.add(notice(envelope, decision, Notice.Kind.LocationInvalidOnCluster, connection, connection.cause(),
                            connection.cluster(), connection.location()));
                } else if (connection.state() == ConnectionState.VALID && transition.from() == ConnectionState.INVALID) {
                    notices.add(notice(envelope, decision, Notice.Kind.LocationValidOnCluster, connection, null,
                            connection.cluster(), connection.location()));
                }
            } else if (after instanceof Cluster cluster && transition.from() != cluster.state()) {
                if (transition.from() == ClusterState.ACTIVE) {
                    notices.add(notice(envelope, decision, Notice.Kind.ClusterLeftActive, cluster, cluster.cause(), cluster.name(), null));
                } else if (cluster.state() == ClusterState.ACTIVE && transition.from() != null && transition.from() != ClusterState.PENDING) {
                    notices.add(notice(envelope, decision, Notice.Kind.ClusterActiveAgain, cluster, null, cluster.name(), null));
                }
            } else if (after == null && transition.ref().kind() == ResourceKind.BACKUP
                    && envelope.event() instanceof Request.DeleteBackup delete && delete.force()) {
                notices.add(new Notice(0, envelope.receivedAt(), Notice.Kind.BackupForceDeleted, ResourceKind.BACKUP.path(),
                        transition.ref().name(), "removed", null, null, null, decision.message(), decision.notes(), envelope.requestId()));
            }
        }
        return notices;
    }

    /** A backup another backup's success sends away: its schedule's retention deletes it (or waits to). */
    private static boolean retired(Envelope envelope, Transition transition, Backup backup) {
        return envelope.event() instanceof dev.backupstate.model.Observation.BackupProgressed progressed
                && !progressed.backup().equals(backup.name())
                && (backup.state() == BackupState.DELETING || backup.state() == BackupState.DELETE_PENDING);
    }

    /** A schedule's trigger the rules refused (suspended, previous run still going, its run's name taken, cluster or location down). */
    private static void skippedRun(Envelope envelope, Decision decision, List<Notice> notices) {
        if (envelope.event() instanceof Request.ScheduleTriggered fired && decision.reason() != Reason.RESOURCE_EXISTS) {
            notices.add(new Notice(0, envelope.receivedAt(), Notice.Kind.ScheduleRunSkipped, ResourceKind.SCHEDULE.path(),
                    fired.schedule(), null, decision.code(), null, null, decision.message(), List.of(), envelope.requestId()));
        }
    }

    private static boolean ended(RestoreState state) {
        return state == RestoreState.SUCCESS || state == RestoreState.PARTIAL_SUCCESS || state == RestoreState.FAILURE
                || state == RestoreState.ABORTED;
    }

    private static Notice notice(Envelope envelope, Decision decision, Notice.Kind kind, Resource resource, String reason,
                                 String cluster, String location) {
        return new Notice(0, envelope.receivedAt(), kind, resource.kind().path(), resource.name(), resource.stateLabel(), reason,
                cluster, location, decision.message(), decision.notes(), envelope.requestId());
    }
}
