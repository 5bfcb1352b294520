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
                             String owner, String timeZone) implements Resource {

    /** A policy whose times of day are UTC. */
    public SchedulePolicy(String name, PolicyType type, int retain, Integer intervalMinutes, String time, List<DayOfWeek> days,
                          boolean biweekly, Integer dayOfMonth, String relativeDay, String owner) {
        this(name, type, retain, intervalMinutes, time, days, biweekly, dayOfMonth, relativeDay, owner, "UTC");
    }

    public SchedulePolicy {
        days = days == null ? List.of() : List.copyOf(days);
        timeZone = timeZone == null ? "UTC" : timeZone;
    }

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
}
