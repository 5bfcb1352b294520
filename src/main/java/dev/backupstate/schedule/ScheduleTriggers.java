package dev.backupstate.schedule;

import dev.backupstate.model.Command;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Request.ScheduleTriggered;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.SchedulePolicy;
import dev.backupstate.store.PendingCommand;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each schedule is a camel-quartz route ({@code schedule-NAME}) whose trigger lives in the JDBC job
 * store: registered when the rules say so, restored on start, removed (trigger and job) when the
 * schedule is deleted. A fire is only reported: the rules decide whether it becomes a backup (a
 * suspended schedule, a previous run still going, an inactive cluster all record a skip).
 */
public final class ScheduleTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTriggers.class);
    public static final String SCHEDULE_HEADER = "bseSchedule";
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Bi-weekly policies fire in even weeks counted from this Monday: fixed, so a restart keeps the rhythm. */
    private static final LocalDate ALTERNATE_WEEKS_ANCHOR = LocalDate.of(1970, 1, 5);

    private final Catalog catalog;
    private final Clock clock;
    private final long minuteMillis;
    private CamelContext camel;

    public ScheduleTriggers(Catalog catalog, Clock clock, long minuteMillis) {
        this.catalog = catalog;
        this.clock = clock;
        this.minuteMillis = minuteMillis;
    }

    /** The Camel context the routes are added to; set once it is built. */
    public void attach(CamelContext context) {
        this.camel = context;
    }

    /** REGISTER_SCHEDULE: the schedule fires on the policy the command carries. */
    public void register(PendingCommand pending) throws Exception {
        Command.RegisterSchedule command = (Command.RegisterSchedule) pending.command();
        ensure(command.schedule(), command.policy());
    }

    /** UNREGISTER_SCHEDULE: the route stops and the trigger and job leave the job store. */
    public void unregister(PendingCommand pending) throws Exception {
        String name = pending.command().target().name();
        String routeId = routeId(name);
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        try {
            quartz.getScheduler().deleteJob(JobKey.jobKey(name, Triggers.GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("the trigger of schedule " + name + " could not be removed: " + e.getMessage(), e);
        }
        LOG.info("schedule {} no longer fires", name);
    }

    /** On start: every schedule of the catalog gets its route back (its trigger is still in the job store). */
    public void restoreAll() throws Exception {
        int restored = 0;
        for (var resource : catalog.all(ResourceKind.SCHEDULE)) {
            Schedule schedule = (Schedule) resource;
            ensure(schedule, catalog.find(ResourceRef.of(ResourceKind.SCHEDULE_POLICY, schedule.policy()))
                    .map(SchedulePolicy.class::cast)
                    .orElseThrow(() -> new IllegalStateException("policy " + schedule.policy() + " of schedule " + schedule.name() + " is gone")));
            restored++;
        }
        LOG.info("{} schedules fire on their policies", restored);
    }

    private synchronized void ensure(Schedule schedule, SchedulePolicy policy) throws Exception {
        String calendar = null;
        if (policy.biweekly()) {
            calendar = "alternateWeeks-" + policy.timeZone().replaceAll("[^A-Za-z0-9]", "-");
            camel.getRegistry().bind(calendar, new AlternateWeeks(ALTERNATE_WEEKS_ANCHOR, policy.timeZone()));
        }
        String uri = Triggers.endpoint(schedule.name(), policy, calendar, minuteMillis);
        String routeId = routeId(schedule.name());
        Route existing = camel.getRoute(routeId);
        if (existing != null) {
            if (existing.getEndpoint().getEndpointUri().equals(camel.getEndpoint(uri).getEndpointUri())) {
                return;
            }
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).description("fires schedule " + schedule.name() + " on policy " + policy.name())
                        .setHeader(SCHEDULE_HEADER, constant(schedule.name()))
                        .to("direct:schedule-fired");
            }
        });
    }

    /**
     * The next {@code count} fire times of a schedule's trigger, as Quartz computes them from the trigger
     * in the job store (its zone and calendar included); empty when no trigger is registered.
     */
    public java.util.List<Instant> nextFireTimes(String schedule, int count) {
        if (camel == null) {
            return java.util.List.of();
        }
        try {
            org.quartz.Scheduler scheduler = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
            org.quartz.Trigger trigger = scheduler.getTrigger(org.quartz.TriggerKey.triggerKey(schedule, Triggers.GROUP));
            if (trigger == null || trigger.getNextFireTime() == null) {
                return java.util.List.of();
            }
            org.quartz.Calendar calendar = trigger.getCalendarName() == null ? null : scheduler.getCalendar(trigger.getCalendarName());
            java.util.List<Instant> times = new java.util.ArrayList<>();
            // a calendar (alternate weeks) excludes some fire times: look a bounded way ahead
            int looked = 0;
            for (Date next = trigger.getNextFireTime(); next != null && times.size() < count && looked++ < 100 * count;
                 next = trigger.getFireTimeAfter(next)) {
                if (calendar == null || calendar.isTimeIncluded(next.getTime())) {
                    times.add(next.toInstant());
                }
            }
            return times;
        } catch (SchedulerException e) {
            LOG.warn("the trigger of schedule {} could not be read: {}", schedule, e.getMessage());
            return java.util.List.of();
        }
    }

    static String routeId(String schedule) {
        return "schedule-" + schedule;
    }

    /** A fire, as the event the rules decide on: its backup is named after the schedule and the slot. */
    public ScheduleTriggered fired(Exchange exchange) {
        String schedule = exchange.getMessage().getHeader(SCHEDULE_HEADER, String.class);
        Date scheduled = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        Instant slot = scheduled == null ? clock.instant() : scheduled.toInstant();
        return new ScheduleTriggered(schedule, schedule + "-" + SLOT.format(slot), slot);
    }
}
