package dev.backupstate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Notice;
import dev.backupstate.model.PolicyType;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.SchedulePolicy;
import dev.backupstate.model.ScheduleState;
import dev.backupstate.rules.ReloadReport;
import dev.backupstate.rules.RuleProblem;
import dev.backupstate.store.NoticeStore;
import dev.backupstate.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The notices in the store, on the embedded H2 and the machine's PostgreSQL: a sink starts after the
 * newest notice, moves only past what its receiver took, waits out its back-off after a failure; the
 * engine's own notices (a schedule overdue, a refused reload) are raised once per occasion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoticeStoreIT {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final TestDatabases databases = new TestDatabases("notice");
    private int sinkNumber;

    Stream<Named<HikariDataSource>> databases() {
        return databases.named();
    }

    @AfterAll
    void close() throws Exception {
        databases.close();
    }

    private static Notice failed(String backup) {
        return new Notice(0, NOW, Notice.Kind.BackupFailed, "backups", backup, "Failure", "volume snapshot failed", "c1", "l1",
                "backup " + backup + " ended Failure", List.of(), "r-" + backup);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_start_a_new_sink_after_the_newest_notice_and_move_only_past_what_it_delivered(HikariDataSource database) {
        // given: a notice from before the sink existed
        NoticeStore store = new NoticeStore(database, Clock.fixed(NOW, ZoneOffset.UTC));
        store.raise(failed("old"), null);
        String sink = "hook-" + (++sinkNumber);

        // when: the sink is registered and two notices follow
        long start = store.sink(sink).deliveredThrough();
        store.raise(failed("b1"), null);
        store.raise(failed("b2"), null);
        List<Notice> due = store.after(start, 10);

        // then: only the two new ones are due, in order, with their ids
        assertThat(due).extracting(Notice::name).containsExactly("b1", "b2");
        assertThat(due.get(0).id()).isLessThan(due.get(1).id());

        // and when the first is delivered
        store.delivered(sink, due.get(0).id(), 1);

        // then: the second is still due; the cursor never moves back
        assertThat(store.after(store.sink(sink).deliveredThrough(), 10)).extracting(Notice::name).containsExactly("b2");
        store.delivered(sink, start, 0);
        assertThat(store.sink(sink).deliveredThrough()).isEqualTo(due.get(0).id());
        assertThat(store.sink(sink).delivered()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_keep_a_failing_sinks_attempts_and_back_off_until_a_delivery_clears_them(HikariDataSource database) {
        NoticeStore store = new NoticeStore(database, Clock.fixed(NOW, ZoneOffset.UTC));
        String sink = "hook-" + (++sinkNumber);
        store.sink(sink);

        // when: two failures
        store.failed(sink, Notifier::backOff, "Connection refused");
        int attempts = store.failed(sink, Notifier::backOff, "Connection refused");

        // then: counted, with the back-off and the error kept
        NoticeStore.SinkState state = store.sink(sink);
        assertThat(attempts).isEqualTo(2);
        assertThat(state.failing()).isTrue();
        assertThat(state.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofSeconds(2)));
        assertThat(state.lastError()).isEqualTo("Connection refused");

        // and a delivery clears them
        store.raise(failed("b3"), null);
        store.delivered(sink, store.latest(), 1);
        assertThat(store.sink(sink).failing()).isFalse();
        assertThat(store.sink(sink).lastError()).isNull();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_notice_an_overdue_schedule_once_per_overdue_spell(HikariDataSource database) {
        // given: an hourly schedule whose last success was three hours ago, and a later failure
        NoticeStore store = new NoticeStore(database, Clock.fixed(NOW, ZoneOffset.UTC));
        String schedule = "hourly-" + (++sinkNumber);
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(new SchedulePolicy("every-hour", PolicyType.INTERVAL, 3, 60, null, List.of(), false, null, null, "admin", "UTC"));
        catalog.put(new Schedule(schedule, ScheduleState.ACTIVE, "c1", "l1", "every-hour", List.of("shop"), false, "admin"));
        catalog.put(run(schedule, "a", BackupState.SUCCESS, NOW.minus(Duration.ofHours(3))));
        catalog.put(run(schedule, "b", BackupState.FAILURE, NOW.minus(Duration.ofHours(1))));
        OverdueSchedules overdue = new OverdueSchedules(catalog, store, Clock.fixed(NOW, ZoneOffset.UTC));
        long before = store.latest();

        // when: looked at twice
        int first = overdue.check();
        int second = overdue.check();

        // then: one notice, naming the last success and the period
        assertThat(first).isEqualTo(1);
        assertThat(second).isZero();
        Notice notice = store.after(before, 10).stream().filter(n -> n.name().equals(schedule)).findFirst().orElseThrow();
        assertThat(notice.event()).isEqualTo(Notice.Kind.ScheduleOverdue);
        assertThat(notice.message()).contains(schedule + "-a", "PT1H");

        // and a schedule suspended, or within two periods, is not overdue
        catalog.put(new Schedule(schedule, ScheduleState.SUSPENDED, "c1", "l1", "every-hour", List.of("shop"), false, "admin"));
        catalog.put(run(schedule, "c", BackupState.SUCCESS, NOW.minus(Duration.ofMinutes(30))));
        assertThat(overdue.check()).isZero();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_notice_a_refused_reload_once_whichever_replica_refused_it(HikariDataSource database) {
        NoticeStore store = new NoticeStore(database, Clock.fixed(NOW, ZoneOffset.UTC));
        ReloadReport refused = new ReloadReport(4 + (++sinkNumber), NOW, false, List.of("backups.drl"),
                List.of(new RuleProblem("backups.drl", 12, "mismatched input")), 90, 0);
        Notice notice = RefusedReloads.notice(refused, Path.of("rules"));

        assertThat(store.raise(notice, RefusedReloads.key(refused))).isTrue();
        assertThat(store.raise(notice, RefusedReloads.key(refused))).as("the other replica's").isFalse();
        assertThat(notice.notes()).singleElement().asString().contains("backups.drl", "12");
        assertThat(notice.headline()).isEqualTo("Rules reload refused (RULES_RELOAD_REFUSED)");
    }

    private static Backup run(String schedule, String suffix, BackupState state, Instant created) {
        return new Backup(schedule + "-" + suffix, state, "c1", "l1", "admin", schedule, null, created, List.of("shop"), null,
                BackupMethod.SNAPSHOT, null, null, null);
    }
}
