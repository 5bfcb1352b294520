package dev.backupstate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
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
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import dev.backupstate.model.Source;
import dev.backupstate.model.Transition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which decisions give rise to which notices: read off their transitions, nothing else. */
class NoticesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Envelope OBSERVED = new Envelope("obs-1", "engine", Source.OBSERVATION, NOW,
            new Request.ValidateBackupLocation("l1"));

    private static Decision accepted(Transition... transitions) {
        return new Decision(true, null, "some rule", "the rules' words", List.of(), List.of(transitions), List.of(), List.of(),
                List.of("some rule"));
    }

    private static Decision rejected(Reason reason, String rule, String message) {
        return new Decision(false, reason, rule, message, List.of(new Decision.Ruling(rule, reason, message)), List.of(), List.of(),
                List.of(), List.of(rule));
    }

    private static Backup backup(BackupState state, String cause) {
        return new Backup("b1", state, "c1", "l1", "alice", null, null, NOW, List.of("shop"), null, BackupMethod.SNAPSHOT, null, null, cause);
    }

    @Test
    void should_notice_a_backup_ending_failure_or_partial_success_with_its_cause() {
        List<Notice> failed = Notices.of(OBSERVED, accepted(Transition.change(backup(BackupState.IN_PROGRESS, null),
                backup(BackupState.FAILURE, "volume snapshot failed"))));
        List<Notice> partial = Notices.of(OBSERVED, accepted(Transition.change(backup(BackupState.IN_PROGRESS, null),
                backup(BackupState.PARTIAL_SUCCESS, "2 of 3 volumes"))));
        List<Notice> success = Notices.of(OBSERVED, accepted(Transition.change(backup(BackupState.IN_PROGRESS, null),
                backup(BackupState.SUCCESS, null))));

        assertThat(failed).singleElement().satisfies(notice -> {
            assertThat(notice.event()).isEqualTo(Notice.Kind.BackupFailed);
            assertThat(notice.reason()).isEqualTo("volume snapshot failed");
            assertThat(notice.cluster()).isEqualTo("c1");
            assertThat(notice.location()).isEqualTo("l1");
            assertThat(notice.requestId()).isEqualTo("obs-1");
        });
        assertThat(partial).extracting(Notice::event).containsExactly(Notice.Kind.BackupPartialSuccess);
        assertThat(success).isEmpty();
    }

    @Test
    void should_notice_a_connection_going_invalid_and_coming_back_and_a_cluster_leaving_and_regaining_active() {
        Connection valid = new Connection("l1", "c1", ConnectionState.VALID, null);
        Connection invalid = new Connection("l1", "c1", ConnectionState.INVALID, "access denied at step put");
        Cluster active = new Cluster("c1", ClusterState.ACTIVE, null, true, null, "admin");
        Cluster down = new Cluster("c1", ClusterState.NOT_AVAILABLE, "connection refused", true, null, "admin");
        Cluster pending = new Cluster("c1", ClusterState.PENDING, null, true, null, "admin");

        assertThat(Notices.of(OBSERVED, accepted(Transition.change(valid, invalid)))).singleElement()
                .satisfies(n -> assertThat(n.headline()).isEqualTo("Location l1 is Invalid on cluster c1 (access denied at step put)"));
        assertThat(Notices.of(OBSERVED, accepted(Transition.change(invalid, valid)))).extracting(Notice::event)
                .containsExactly(Notice.Kind.LocationValidOnCluster);
        assertThat(Notices.of(OBSERVED, accepted(Transition.change(active, down)))).extracting(Notice::event)
                .containsExactly(Notice.Kind.ClusterLeftActive);
        assertThat(Notices.of(OBSERVED, accepted(Transition.change(down, active)))).extracting(Notice::event)
                .containsExactly(Notice.Kind.ClusterActiveAgain);
        assertThat(Notices.of(OBSERVED, accepted(Transition.change(pending, active)))).as("first Active is not 'again'").isEmpty();
        assertThat(Notices.of(OBSERVED, accepted(Transition.change(valid, valid)))).isEmpty();
    }

    @Test
    void should_notice_a_restore_ending_a_force_delete_with_the_rules_note_and_a_skipped_run() {
        Restore running = new Restore("r1", RestoreState.IN_PROGRESS, "b1", "c1", null, "alice", null);
        Restore done = new Restore("r1", RestoreState.SUCCESS, "b1", "c1", null, "alice", null);
        assertThat(Notices.of(OBSERVED, accepted(Transition.change(running, done)))).extracting(Notice::event)
                .containsExactly(Notice.Kind.RestoreEnded);

        Envelope force = new Envelope("del-1", "alice", Source.REST, NOW, new Request.DeleteBackup("b1", true));
        Decision removed = new Decision(true, null, "Force delete removes the catalog entry and leaves the data", "removed",
                List.of(), List.of(Transition.remove(backup(BackupState.SUCCESS, null))), List.of(),
                List.of("force delete left the data of backup b1 in bucket s3://fleet/team (Stork's folder b1/ under its admin namespace)"),
                List.of("Force delete removes the catalog entry and leaves the data"));
        assertThat(Notices.of(force, removed)).singleElement().satisfies(notice -> {
            assertThat(notice.event()).isEqualTo(Notice.Kind.BackupForceDeleted);
            assertThat(notice.notes()).singleElement().asString().contains("Stork's folder b1/");
        });

        Envelope fired = new Envelope("s-1", "engine", Source.SCHEDULE, NOW, new Request.ScheduleTriggered("nightly", "nightly-1", NOW));
        Decision suspended = rejected(Reason.SCHEDULE_SUSPENDED, "A suspended schedule creates no backups", "schedule nightly is Suspended");
        Decision twice = rejected(Reason.RESOURCE_EXISTS, "A trigger fired twice creates its backup once", "already created");
        assertThat(Notices.of(fired, suspended)).singleElement().satisfies(notice -> {
            assertThat(notice.event()).isEqualTo(Notice.Kind.ScheduleRunSkipped);
            assertThat(notice.reason()).isEqualTo("SCHEDULE_SUSPENDED");
        });
        assertThat(Notices.of(fired, twice)).as("a repeated fire is no skip").isEmpty();
    }
}
