package dev.backupstate.store;

import dev.backupstate.testing.TestDatabases;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Command;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Reason;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.model.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store against both real databases: the embedded H2 default, and the machine's PostgreSQL
 * (started by .ci/run; connection from BSE_TEST_POSTGRES_URL, _USER, _PASSWORD), each test class in a
 * schema of its own. The same migrations and the same tests run on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreIT {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final Backup B1 = new Backup("b1", BackupState.PENDING, "c1", "l1", "alice", null, null,
            Instant.parse("2026-11-24T11:00:00Z"), List.of("orders"), null, BackupMethod.SNAPSHOT, null, null, null).withUid("uid-b1");

    private static final dev.backupstate.model.BackupLocation L1 = new dev.backupstate.model.BackupLocation("l1",
            dev.backupstate.model.BackupLocationState.VALID, dev.backupstate.model.LocationType.S3,
            new dev.backupstate.model.BucketKey("http://s3", "backups", ""), "us-east-1", "minio", "alice", null);

    private final TestDatabases databases = new TestDatabases("it");

    Stream<Named<HikariDataSource>> databases() {
        return databases.named();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        for (HikariDataSource dataSource : databases.opened()) {
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                for (String table : List.of("resource", "request", "audit", "outbox", "in_flight")) {
                    sql.executeUpdate("delete from " + table);
                }
                connection.commit();
            }
        }
    }

    @AfterAll
    void dropAndClose() throws Exception {
        databases.close();
    }

    private static Envelope request(String requestId) {
        return new Envelope(requestId, "alice", Source.REST, CLOCK.instant(),
                new Request.CreateBackup("b1", "c1", "l1", List.of("orders"), null, null, null, null, null));
    }

    private static Decision accepted(Transition... transitions) {
        return new Decision(true, null, "A requested backup is created Pending and run on its cluster", "ok",
                List.of(), List.of(transitions), List.of(new Command.RunBackup(B1, L1)),
                List.of("a note"), List.of());
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_commit_transitions_audit_key_and_commands_together(HikariDataSource database) {
        Store store = new Store(database, CLOCK);

        Committed committed = store.commit(request("r1"), accepted(Transition.create(B1)));

        assertThat(committed.acted()).isTrue();
        assertThat(store.find(B1.ref())).contains(B1);
        assertThat(store.outcome("alice", "r1")).contains(committed.outcome());
        assertThat(store.audit(B1.ref())).singleElement().satisfies(entry -> {
            assertThat(entry.accepted()).isTrue();
            assertThat(entry.rule()).isEqualTo("A requested backup is created Pending and run on its cluster");
            assertThat(entry.transitions()).containsExactly("backups/b1: created Pending");
            assertThat(entry.notes()).containsExactly("a note");
            assertThat(entry.source()).isEqualTo("REST");
        });
        assertThat(store.pendingCommands(10)).singleElement()
                .satisfies(p -> {
                    assertThat(p.command().toString()).isEqualTo("RUN_BACKUP backups/b1 cluster=c1 location=l1");
                    assertThat(p.command()).as("stored whole, the location with it").isEqualTo(new Command.RunBackup(B1, L1));
                });
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_update_and_remove_resources(HikariDataSource database) {
        Store store = new Store(database, CLOCK);
        store.commit(request("r1"), accepted(Transition.create(B1)));
        Backup running = B1.withState(BackupState.IN_PROGRESS, "Volumes");

        store.commit(request("r2"), accepted(Transition.change(B1, running)));
        assertThat(store.find(B1.ref())).contains(running);
        assertThat(store.resources()).containsExactly(running);

        store.commit(request("r3"), accepted(Transition.remove(running)));
        assertThat(store.find(B1.ref())).isEmpty();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_record_a_rejection_without_changing_anything(HikariDataSource database) {
        Store store = new Store(database, CLOCK);
        Decision rejected = new Decision(false, Reason.CLUSTER_NOT_ACTIVE, "A backup needs its cluster Active",
                "cluster c1 is Disconnected", List.of(), List.of(), List.of(), List.of(), List.of());

        Committed committed = store.commit(request("r1"), rejected);

        assertThat(committed.outcome().reason()).isEqualTo("CLUSTER_NOT_ACTIVE");
        assertThat(store.resources()).isEmpty();
        assertThat(store.pendingCommands(10)).isEmpty();
        assertThat(store.auditOfRequest("r1")).singleElement().satisfies(e -> assertThat(e.accepted()).isFalse());
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_act_once_for_a_repeated_request_and_return_the_first_outcome(HikariDataSource database) {
        Store store = new Store(database, CLOCK);
        Committed first = store.commit(request("r1"), accepted(Transition.create(B1)));

        Committed again = store.commit(request("r1"), accepted(Transition.change(B1, B1.withState(BackupState.FAILURE, "x"))));

        assertThat(again.acted()).isFalse();
        assertThat(again.outcome()).isEqualTo(first.outcome());
        assertThat(store.find(B1.ref())).contains(B1);
        assertThat(store.auditOfRequest("r1")).hasSize(1);
        assertThat(store.pendingCommands(10)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_let_exactly_one_of_concurrent_duplicates_act(HikariDataSource database) throws Exception {
        Store store = new Store(database, CLOCK);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Callable<Committed>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attempts.add(() -> store.commit(request("same"), accepted(Transition.create(B1))));
        }

        List<Committed> results = new ArrayList<>();
        for (Future<Committed> result : threads.invokeAll(attempts)) {
            results.add(result.get());
        }
        threads.shutdown();

        assertThat(results).filteredOn(Committed::acted).hasSize(1);
        assertThat(results).extracting(Committed::outcome).containsOnly(results.get(0).outcome());
        assertThat(store.pendingCommands(10)).hasSize(1);
        assertThat(store.auditOfRequest("same")).hasSize(1);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_write_nothing_when_the_transaction_fails(HikariDataSource database) {
        Store store = new Store(database, CLOCK);
        // An audit record without its rule violates the schema: the transaction fails after the
        // resource, key and command rows were written, and none of them may remain.
        Decision broken = new Decision(true, null, null, "no rule", List.of(), List.of(Transition.create(B1)),
                List.of(new Command.RunBackup(B1, L1)), List.of(), List.of());

        assertThatThrownBy(() -> store.commit(request("r1"), broken)).isInstanceOf(StoreException.class)
                .hasMessageContaining("request r1");

        assertThat(store.resources()).isEmpty();
        assertThat(store.outcome("alice", "r1")).isEmpty();
        assertThat(store.pendingCommands(10)).isEmpty();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_mark_a_command_dispatched_once(HikariDataSource database) {
        Store store = new Store(database, CLOCK);
        store.commit(request("r1"), accepted(Transition.create(B1)));
        long id = store.pendingCommands(1).get(0).id();

        assertThat(store.markDispatched(id)).isTrue();
        assertThat(store.markDispatched(id)).isFalse();
        assertThat(store.pendingCommands(10)).isEmpty();
        assertThat(ResourceRef.of(ResourceKind.BACKUP, "b1")).isEqualTo(B1.ref());
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_keep_a_failed_commands_back_off_in_its_row(HikariDataSource database) {
        // given: a committed command whose effect failed twice
        Store store = new Store(database, CLOCK);
        store.commit(request("r1"), accepted(Transition.create(B1)));
        long id = store.pendingCommands(1).get(0).id();
        store.commandFailed(id, attempts -> java.time.Duration.ofSeconds(attempts), "cluster c1 unreachable");
        int attempts = store.commandFailed(id, attempts2 -> java.time.Duration.ofSeconds(30L * attempts2), "cluster c1 unreachable");

        // when: another store on the same database (a new leader) asks what is due
        Store next = new Store(database, CLOCK);

        // then: it waits out the back-off the first one recorded
        assertThat(attempts).isEqualTo(2);
        assertThat(next.pendingCommands(10, CLOCK.instant().plusSeconds(59))).isEmpty();
        assertThat(next.pendingCommands(10, CLOCK.instant().plusSeconds(60))).singleElement()
                .satisfies(p -> assertThat(p.id()).isEqualTo(id));
        assertThat(next.pendingCommands(10)).as("everything not carried out, due or not").hasSize(1);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_hand_work_in_flight_to_the_next_leader(HikariDataSource database) {
        // given: the leader has seen b1 silent since noon and lost sight of b2
        InFlight leader = new InFlight(database, Fence.none());
        leader.reload();
        leader.put(new InFlight.Mark(InFlight.Kind.SILENT, "backup/b1", CLOCK.instant(), null, null));
        leader.put(new InFlight.Mark(InFlight.Kind.UNSEEN, "backup/b2", CLOCK.instant(), "cluster c1 cannot be read", null));
        leader.put(new InFlight.Mark(InFlight.Kind.SILENT, "backup/b3", CLOCK.instant(), null, null));
        leader.remove(InFlight.Kind.SILENT, "backup/b3");

        // when: the next leader loads what is in flight
        InFlight next = new InFlight(database, Fence.none());
        next.reload();

        // then: it counts from the same moments
        assertThat(next.get(InFlight.Kind.SILENT, "backup/b1")).hasValueSatisfying(mark -> assertThat(mark.since()).isEqualTo(CLOCK.instant()));
        assertThat(next.get(InFlight.Kind.UNSEEN, "backup/b2")).hasValueSatisfying(mark ->
                assertThat(mark.detail()).isEqualTo("cluster c1 cannot be read"));
        assertThat(next.get(InFlight.Kind.SILENT, "backup/b3")).isEmpty();
        assertThat(next.get(InFlight.Kind.SILENT, "backup/b2")).as("kinds apart").isEmpty();
    }
}
