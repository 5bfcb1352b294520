package dev.backupstate.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import org.quartz.impl.calendar.BaseCalendar;

/**
 * A Quartz calendar for bi-weekly policies: it lets a weekly trigger fire in every other week, counted
 * from the week the schedule was created, in the policy's time zone. Stored with the trigger in the job
 * store, so the rhythm survives restarts.
 */
public final class AlternateWeeks extends BaseCalendar {

    private static final long serialVersionUID = 1L;

    private final long anchorMonday;
    private final String zone;

    public AlternateWeeks(LocalDate anchor, String zone) {
        this.anchorMonday = anchor.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).toEpochDay();
        this.zone = zone;
    }

    @Override
    public boolean isTimeIncluded(long timeStamp) {
        if (!super.isTimeIncluded(timeStamp)) {
            return false;
        }
        LocalDate day = Instant.ofEpochMilli(timeStamp).atZone(ZoneId.of(zone)).toLocalDate();
        long monday = day.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).toEpochDay();
        return ChronoUnit.WEEKS.between(LocalDate.ofEpochDay(anchorMonday), LocalDate.ofEpochDay(monday)) % 2 == 0;
    }

    @Override
    public long getNextIncludedTime(long timeStamp) {
        long next = timeStamp + 1;
        while (!isTimeIncluded(next)) {
            next += 24L * 3600 * 1000;
        }
        return next;
    }
}
