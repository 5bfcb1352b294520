package dev.backupstate.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.PolicyType;
import dev.backupstate.model.SchedulePolicy;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/** Policies as Quartz triggers: every kind of the matrix, each expression valid for Quartz. */
class TriggersTest {

    private static SchedulePolicy policy(PolicyType type, String time, List<DayOfWeek> days, Integer dayOfMonth, String relative) {
        return new SchedulePolicy("p", type, 3, null, time, days, false, dayOfMonth, relative, "alice", "Europe/Berlin");
    }

    @Test
    void should_turn_each_time_of_day_policy_into_a_quartz_cron_expression() {
        assertThat(Triggers.cron(policy(PolicyType.DAILY, "01:30", null, null, null))).isEqualTo("0 30 1 * * ?");
        assertThat(Triggers.cron(policy(PolicyType.WEEKLY, "23:05", List.of(DayOfWeek.SUNDAY, DayOfWeek.SATURDAY), null, null)))
                .isEqualTo("0 5 23 ? * 1,7");
        assertThat(Triggers.cron(policy(PolicyType.MONTHLY, "02:00", null, 31, null))).as("skipped in months without a 31st")
                .isEqualTo("0 0 2 31 * ?");
        assertThat(Triggers.cron(policy(PolicyType.MONTHLY, "02:00", null, null, "last Friday"))).isEqualTo("0 0 2 ? * 6L");
        assertThat(Triggers.cron(policy(PolicyType.MONTHLY, "02:00", null, null, "first monday"))).isEqualTo("0 0 2 ? * 2#1");
        for (String expression : List.of("0 30 1 * * ?", "0 5 23 ? * 1,7", "0 0 2 31 * ?", "0 0 2 ? * 6L", "0 0 2 ? * 2#1")) {
            assertThat(CronExpression.isValidExpression(expression)).as(expression).isTrue();
        }
    }

    @Test
    void should_give_an_interval_policy_a_repeating_trigger_and_a_cron_policy_its_zone() {
        SchedulePolicy every15 = new SchedulePolicy("p", PolicyType.INTERVAL, 10, 15, null, null, false, null, null, "alice", "UTC");
        assertThat(Triggers.endpoint("often", every15, null))
                .contains("trigger.repeatInterval=900000", "trigger.repeatCount=-1", "trigger.misfireInstruction=2", "deleteJob=false");
        assertThat(Triggers.endpoint("nightly", policy(PolicyType.DAILY, "01:30", null, null, null), null))
                .contains("cron=RAW(0 30 1 * * ?)", "trigger.timeZone=Europe/Berlin", "trigger.misfireInstruction=1");
    }

    @Test
    void should_let_a_bi_weekly_trigger_fire_in_every_other_week_only() {
        AlternateWeeks alternate = new AlternateWeeks(LocalDate.of(1970, 1, 5), "Europe/Berlin");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long monday = LocalDate.of(2026, 11, 23).atTime(1, 30).atZone(berlin).toInstant().toEpochMilli();
        long week = 7L * 24 * 3600 * 1000;

        boolean thisWeek = alternate.isTimeIncluded(monday);
        assertThat(alternate.isTimeIncluded(monday + week)).isEqualTo(!thisWeek);
        assertThat(alternate.isTimeIncluded(monday + 2 * week)).isEqualTo(thisWeek);
        assertThat(alternate.isTimeIncluded(monday + 4 * 24 * 3600 * 1000L)).as("same week, Friday").isEqualTo(thisWeek);
    }
}
