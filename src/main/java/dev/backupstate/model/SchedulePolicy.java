package dev.backupstate.model;

import java.time.DayOfWeek;
import java.util.List;

/**
 * A stateless supporting resource: when a schedule fires and how many of its backups to keep.
 * Which fields matter depends on the type; {@link dev.backupstate.model.Request.CreateSchedulePolicy}
 * checks them.
 */
public record SchedulePolicy(String name, PolicyType type, int retain, Integer intervalMinutes, String time,
                             List<DayOfWeek> days, boolean biweekly, Integer dayOfMonth, String relativeDay,
                             String owner, String timeZone, String uid) implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public SchedulePolicy(String name, PolicyType type, int retain, Integer intervalMinutes, String time, List<DayOfWeek> days, boolean biweekly, Integer dayOfMonth, String relativeDay, String owner, String timeZone) {
        this(name, type, retain, intervalMinutes, time, days, biweekly, dayOfMonth, relativeDay, owner, timeZone, null);
    }

    /** A policy whose times of day are UTC. */
    public SchedulePolicy(String name, PolicyType type, int retain, Integer intervalMinutes, String time, List<DayOfWeek> days,
                          boolean biweekly, Integer dayOfMonth, String relativeDay, String owner) {
        this(name, type, retain, intervalMinutes, time, days, biweekly, dayOfMonth, relativeDay, owner, "UTC");
    }

    public SchedulePolicy {
        days = days == null ? List.of() : List.copyOf(days);
        timeZone = timeZone == null ? "UTC" : timeZone;
    }

    /**
     * The most backups a policy keeps: retention weighs a schedule's kept backups against each other on
     * each success, so the work grows with the square of what is kept; 250 bounds it (a year of dailies
     * needs a second schedule, or a weekly one).
     */
    public static final int MAX_RETAIN = 250;

    /** How many backups a policy of this type keeps when it does not say (STATE-MATRIX.md). */
    public static int defaultRetain(PolicyType type) {
        switch (type) {
            case INTERVAL:
            case DAILY:
                return 10;
            case WEEKLY:
                return 5;
            default:
                return 12;
        }
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SCHEDULE_POLICY;
    }

    @Override
    public State state() {
        return null;
    }

    @Override
    public SchedulePolicy withUid(String identity) {
        return new SchedulePolicy(name, type, retain, intervalMinutes, time, days, biweekly, dayOfMonth, relativeDay, owner, timeZone, identity);
    }
}
