package dev.backupstate.schedule;

import dev.backupstate.model.SchedulePolicy;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A schedule policy as a camel-quartz endpoint: a cron trigger in the policy's time zone (daily, weekly,
 * monthly on a date or a relative day) or a simple trigger (every N minutes). A trigger that missed its
 * time while the engine was down fires once when it is back (Quartz's "fire once now"), never a storm.
 */
public final class Triggers {

    /** Quartz's CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW. */
    static final int CRON_FIRE_ONCE_NOW = 1;
    /** Quartz's SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NOW_WITH_EXISTING_REPEAT_COUNT: once now, then on. */
    static final int SIMPLE_FIRE_ONCE_NOW = 2;
    public static final String GROUP = "bse-schedules";

    private Triggers() {
    }

    /** The cron expression of a time-of-day policy (Quartz syntax: seconds first, day-of-week 1 = Sunday). */
    public static String cron(SchedulePolicy policy) {
        LocalTime time = LocalTime.parse(policy.time());
        String at = "0 " + time.getMinute() + " " + time.getHour() + " ";
        return switch (policy.type()) {
            case DAILY -> at + "* * ?";
            case WEEKLY -> at + "? * " + policy.days().stream().map(Triggers::quartzDay).map(String::valueOf)
                    .collect(Collectors.joining(","));
            case MONTHLY -> policy.dayOfMonth() != null ? at + policy.dayOfMonth() + " * ?" : at + "? * " + relative(policy.relativeDay());
            case INTERVAL -> throw new IllegalArgumentException("an interval policy has no cron expression");
        };
    }

    /** "last friday" -> 6L, "second monday" -> 2#2 (Quartz numbers days from Sunday = 1). */
    static String relative(String relativeDay) {
        String[] words = relativeDay.trim().toLowerCase(Locale.ROOT).split("\\s+");
        int day = quartzDay(DayOfWeek.valueOf(words[1].toUpperCase(Locale.ROOT)));
        return switch (words[0]) {
            case "first" -> day + "#1";
            case "second" -> day + "#2";
            case "third" -> day + "#3";
            case "fourth" -> day + "#4";
            case "last" -> day + "L";
            default -> throw new IllegalArgumentException("'" + relativeDay + "' is not a relative day");
        };
    }

    static int quartzDay(DayOfWeek day) {
        return day.getValue() % 7 + 1;
    }

    /** The camel-quartz endpoint of a schedule. Jobs stay in the job store when the route stops. */
    public static String endpoint(String schedule, SchedulePolicy policy, String calendar) {
        return endpoint(schedule, policy, calendar, 60_000L);
    }

    /** {@code minuteMillis}: how long an interval policy's minute lasts (60,000; shorter only for tests and demos). */
    public static String endpoint(String schedule, SchedulePolicy policy, String calendar, long minuteMillis) {
        StringBuilder uri = new StringBuilder("quartz://").append(GROUP).append('/').append(schedule)
                .append("?deleteJob=false&pauseJob=false&usingFixedCamelContextName=true&recoverableJob=true");
        if (policy.type() == dev.backupstate.model.PolicyType.INTERVAL) {
            uri.append("&trigger.repeatInterval=").append(policy.intervalMinutes() * minuteMillis)
                    .append("&trigger.repeatCount=-1&trigger.misfireInstruction=").append(SIMPLE_FIRE_ONCE_NOW);
        } else {
            uri.append("&cron=RAW(").append(cron(policy)).append(")&trigger.timeZone=").append(policy.timeZone())
                    .append("&trigger.misfireInstruction=").append(CRON_FIRE_ONCE_NOW);
        }
        if (calendar != null) {
            uri.append("&customCalendar=#").append(calendar);
        }
        return uri.toString();
    }
}
