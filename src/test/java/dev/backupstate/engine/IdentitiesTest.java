package dev.backupstate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Request;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.ScheduleState;
import dev.backupstate.model.Share;
import dev.backupstate.model.ShareAccess;
import dev.backupstate.model.Source;
import dev.backupstate.model.Transition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop gives identities: a new uid on creation, the same one on every change, bindings by uid. */
class IdentitiesTest {

    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");

    private static Backup aBackup(String name, String schedule, String base) {
        return new Backup(name, BackupState.PENDING, "c1", "l1", "alice", schedule, base, AT, List.of("shop"), null,
                BackupMethod.SNAPSHOT, null, null, null);
    }

    private static Decision accepted(Transition... transitions) {
        return new Decision(true, null, "a rule", "ok", List.of(), List.of(transitions), List.of(), List.of(), List.of());
    }

    private static Envelope request(String id) {
        return new Envelope(id, "alice", Source.REST, AT, new Request.DeleteBackup("b1", false));
    }

    @Test
    void should_give_a_created_resource_a_uid_of_its_request_and_bind_it_to_its_schedule_and_base_by_uid() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(new Schedule("db", ScheduleState.ACTIVE, "c1", "l1", "daily", List.of("shop"), false, "alice").withUid("s-1"));
        catalog.put(aBackup("base", null, null).withUid("b-base"));

        Decision first = Identities.stamp(request("r1"), accepted(Transition.create(aBackup("db-1", "db", "base"))), catalog, null);
        Decision again = Identities.stamp(request("r1"), accepted(Transition.create(aBackup("db-1", "db", "base"))), catalog, null);
        Decision other = Identities.stamp(request("r2"), accepted(Transition.create(aBackup("db-1", "db", "base"))), catalog, null);

        Backup created = (Backup) first.transitions().get(0).after();
        assertThat(created.uid()).isNotBlank().isEqualTo(first.transitions().get(0).uid());
        assertThat(created.scheduleUid()).isEqualTo("s-1");
        assertThat(created.baseUid()).isEqualTo("b-base");
        assertThat(again.transitions().get(0).uid()).as("the same request, the same uid").isEqualTo(created.uid());
        assertThat(other.transitions().get(0).uid()).as("another request, another resource").isNotEqualTo(created.uid());
    }

    @Test
    void should_keep_the_identity_and_bindings_of_a_changed_resource_whatever_the_rule_built() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        Backup stored = aBackup("db-1", "db", null).identified("b-1", "s-1", null);
        catalog.put(stored);
        catalog.put(new Share("db-1", "bob", ShareAccess.VIEW).ofBackup("b-1").withUid("sh-1"));

        Decision decided = Identities.stamp(request("r3"), accepted(
                Transition.change(stored, aBackup("db-1", "db", null).withState(BackupState.SUCCESS, null)),
                Transition.change(catalog.share("db-1", "bob").orElseThrow(), new Share("db-1", "bob", ShareAccess.FULL_ACCESS))),
                catalog, "b-1");

        Backup after = (Backup) decided.transitions().get(0).after();
        Share share = (Share) decided.transitions().get(1).after();
        assertThat(after.uid()).isEqualTo("b-1");
        assertThat(after.scheduleUid()).isEqualTo("s-1");
        assertThat(share.uid()).isEqualTo("sh-1");
        assertThat(share.backupUid()).isEqualTo("b-1");
        assertThat(decided.subjectUid()).isEqualTo("b-1");
    }
}
