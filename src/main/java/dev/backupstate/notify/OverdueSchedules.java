package dev.backupstate.notify;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Notice;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.SchedulePolicy;
import dev.backupstate.model.ScheduleState;
import dev.backupstate.store.NoticeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Schedules that have had no successful backup within twice their period (issue 14). This changes no
 * state and decides nothing the rules decide: it tells people that time passed without the outcome they
 * expect. The reference is the last successful backup, else the schedule's first run; a schedule that has
 * never run is not judged. Each overdue spell is noticed once (its reference is the notice's key), by
 * whichever replica looks first.
 */
public final class OverdueSchedules {

    private final Catalog catalog;
    private final NoticeStore notices;
    private final Clock clock;

    public OverdueSchedules(Catalog catalog, NoticeStore notices, Clock clock) {
        this.catalog = catalog;
        this.notices = notices;
        this.clock = clock;
    }

    /** Raises a notice for each Active schedule now overdue; returns how many were new. */
    public int check() {
        int raised = 0;
        Instant now = clock.instant();
        for (var resource : catalog.all(ResourceKind.SCHEDULE)) {
            Schedule schedule = (Schedule) resource;
            if (schedule.state() != ScheduleState.ACTIVE) {
                continue;
            }
            Optional<Duration> period = catalog.find(ResourceKind.SCHEDULE_POLICY, schedule.policy())
                    .map(SchedulePolicy.class::cast).map(OverdueSchedules::period);
            List<Backup> runs = catalog.runsOf(schedule);
            Optional<Backup> success = runs.stream().filter(b -> b.state() == BackupState.SUCCESS && b.created() != null)
                    .max(Comparator.comparing(Backup::created));
            Optional<Instant> since = success.map(Backup::created)
                    .or(() -> runs.stream().map(Backup::created).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder()));
            if (period.isEmpty() || since.isEmpty() || !since.get().plus(period.get().multipliedBy(2)).isBefore(now)) {
                continue;
            }
            String message = success.isPresent()
                    ? "no successful backup since " + since.get() + " (" + success.get().name() + "); the policy's period is " + period.get()
                    : "no successful backup since its first run at " + since.get() + "; the policy's period is " + period.get();
            Notice notice = new Notice(0, now, Notice.Kind.ScheduleOverdue, ResourceKind.SCHEDULE.path(), schedule.name(),
                    schedule.stateLabel(), "NO_SUCCESS_WITHIN_TWO_PERIODS", schedule.cluster(), schedule.location(), message, List.of(), null);
            if (notices.raise(notice, "overdue:" + schedule.name() + ":" + since.get())) {
                raised++;
            }
        }
        return raised;
    }

    /** How often the policy means to back up: its interval, a day, a week (two for alternate weeks), a month. */
    static Duration period(SchedulePolicy policy) {
        return switch (policy.type()) {
            case INTERVAL -> Duration.ofMinutes(policy.intervalMinutes());
            case DAILY -> Duration.ofDays(1);
            case WEEKLY -> Duration.ofDays(policy.biweekly() ? 14 : 7);
            case MONTHLY -> Duration.ofDays(31);
        };
    }
}
