package dev.backupstate.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.PolicyType;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxAgent;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

/**
 * Schedules as Quartz triggers in the JDBC job store (Classic, against S3Proxy and a mock API server
 * whose agent is the sandbox's): the trigger carries the policy; fires go through the rules (a backup,
 * or a skip when suspended); retention deletes the oldest through the normal delete path; triggers
 * survive a restart; a deleted schedule's trigger is gone. Fires are asked of Quartz (triggerJob)
 * rather than waited for.
 */
class ScheduleIT {

    private static final String NS = "kube-system";

    @TempDir
    Path work;
    private TestEngine engine;
    private SandboxObjectStore s3;
    private SandboxCluster east;
    private ScheduledExecutorService agent;
    private Map<String, String> settings;

    @BeforeEach
    void start() throws Exception {
        int port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), port);
        s3.createBucket("backups");
        east = new SandboxCluster("east");
        east.installAgent(NS, "stork", true);
        east.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("shop")
                .endMetadata().build()).create();
        SandboxAgent stork = new SandboxAgent(east, NS, s3.client(), true);
        agent = Executors.newSingleThreadScheduledExecutor();
        agent.scheduleWithFixedDelay(stork::work, 200, 200, TimeUnit.MILLISECONDS);
        settings = Map.of(
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "200",
                "bse.schedules.instance-id", "schedule-it",
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY);
        engine = TestEngine.start(work, settings);
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + port, "us-east-1", "backups", "team", "good"));
        await().atMost(Duration.ofSeconds(15)).until(() -> engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.CLUSTER, "east")).map(c -> c.state() == ClusterState.ACTIVE).orElse(false)
                && engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "l1"))
                .map(l -> l.state().label().equals("Valid")).orElse(false));
    }

    @AfterEach
    void stop() throws Exception {
        agent.shutdownNow();
        engine.close();
        east.close();
        s3.close();
    }

    private Outcome submit(Request request) {
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", Source.REST, Instant.now(), request));
    }

    private Scheduler quartz() throws Exception {
        return engine.camel.getCamelContext().getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    private List<Backup> backupsOf(String schedule) {
        return engine.runtime().loop().catalog().backupsOfSchedule(schedule);
    }

    private void fire(String schedule) throws Exception {
        int before = backupsOf(schedule).size();
        quartz().triggerJob(JobKey.jobKey(schedule, Triggers.GROUP));
        await().atMost(Duration.ofSeconds(10)).until(() -> backupsOf(schedule).size() > before);
        // slots are named to the second: the next fire gets a name of its own
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
    }

    private void awaitTrigger(String schedule) {
        // Quartz starts with the first schedule's route
        await().atMost(Duration.ofSeconds(10)).until(() -> quartz() != null && quartz().checkExists(JobKey.jobKey(schedule, Triggers.GROUP)));
    }

    @Test
    void should_keep_a_schedules_trigger_in_the_job_store_in_the_policys_time_zone_across_a_restart() throws Exception {
        // given
        submit(new Request.CreateSchedulePolicy("mon-fri", PolicyType.WEEKLY, null, "01:30",
                List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), false, null, null, 3, "Europe/Berlin"));
        assertThat(submit(new Request.CreateSchedule("nightly", "east", "l1", "mon-fri", List.of("shop"), false, false)).accepted()).isTrue();

        // then
        awaitTrigger("nightly");
        CronTrigger trigger = (CronTrigger) quartz().getTrigger(TriggerKey.triggerKey("nightly", Triggers.GROUP));
        assertThat(trigger.getCronExpression()).isEqualTo("0 30 1 ? * 2,6");
        assertThat(trigger.getTimeZone()).isEqualTo(TimeZone.getTimeZone("Europe/Berlin"));
        assertThat(trigger.getMisfireInstruction()).as("one catch-up after downtime").isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);

        // when the engine restarts, the trigger is still there and fires into the rules again
        engine.close();
        engine = TestEngine.start(work, settings);
        awaitTrigger("nightly");
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.camel.getCamelContext().getRoute("schedule-nightly") != null);
        assertThat(quartz().getTrigger(TriggerKey.triggerKey("nightly", Triggers.GROUP)).getNextFireTime())
                .as("still on its policy").isEqualTo(trigger.getNextFireTime());
        fire("nightly");
        assertThat(backupsOf("nightly")).hasSize(1);
    }

    @Test
    void should_back_up_on_each_fire_keep_the_newest_and_skip_while_suspended() throws Exception {
        submit(new Request.CreateSchedulePolicy("keep-2", PolicyType.DAILY, null, "02:00", null, false, null, null, 2, null));
        submit(new Request.CreateSchedule("daily", "east", "l1", "keep-2", List.of("shop"), false, false));
        awaitTrigger("daily");

        // three fires, each backup run to Success by the agent
        for (int i = 0; i < 3; i++) {
            fire("daily");
            await().atMost(Duration.ofSeconds(15)).until(() -> backupsOf("daily").stream()
                    .noneMatch(b -> b.state() == BackupState.PENDING || b.state() == BackupState.IN_PROGRESS));
        }

        // retention (keep 2) deleted the oldest through the bucket: its folder and its catalog entry are gone
        await().atMost(Duration.ofSeconds(15)).until(() -> backupsOf("daily").size() == 2);
        // Stork's layout: NAMESPACE/BACKUP/UID/...
        assertThat(s3.client().listObjectsV2(b -> b.bucket("backups").prefix(NS + "/")).contents().stream()
                .map(o -> o.key().split("/")[1]).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(backupsOf("daily").stream().map(Backup::name).toList());

        // suspended: a fire is recorded as skipped, never a backup
        submit(new Request.SuspendSchedule("daily"));
        quartz().triggerJob(JobKey.jobKey("daily", Triggers.GROUP));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().store()
                .audit(ResourceRef.of(ResourceKind.SCHEDULE, "daily")).toString().contains("SCHEDULE_SUSPENDED"));
        assertThat(backupsOf("daily")).hasSize(2);
    }

    @Test
    void should_give_a_bi_weekly_schedule_a_calendar_of_alternate_weeks() throws Exception {
        submit(new Request.CreateSchedulePolicy("fortnightly", PolicyType.WEEKLY, null, "03:00", List.of(DayOfWeek.SUNDAY),
                true, null, null, 4, "America/New_York"));
        submit(new Request.CreateSchedule("sundays", "east", "l1", "fortnightly", List.of("shop"), false, false));
        awaitTrigger("sundays");

        var trigger = quartz().getTrigger(TriggerKey.triggerKey("sundays", Triggers.GROUP));
        assertThat(trigger.getCalendarName()).isNotNull();
        AlternateWeeks weeks = (AlternateWeeks) quartz().getCalendar(trigger.getCalendarName());
        long next = trigger.getNextFireTime().getTime();
        assertThat(weeks.isTimeIncluded(next)).isTrue();
        assertThat(weeks.isTimeIncluded(next + 7L * 24 * 3600 * 1000)).as("the Sunday after is skipped").isFalse();
    }

    @Test
    void should_fire_an_interval_schedule_on_its_own_and_stop_when_suspended() throws Exception {
        // given: a policy minute lasts one second in this engine
        engine.close();
        Map<String, String> fast = new java.util.HashMap<>(settings);
        fast.put("bse.schedules.interval-minute-millis", "1000");
        engine = TestEngine.start(work, fast);
        submit(new Request.CreateSchedulePolicy("every-minute", PolicyType.INTERVAL, 1, null, null, false, null, null, 100, null));
        submit(new Request.CreateSchedule("ticker", "east", "l1", "every-minute", List.of("shop"), true, false));

        // then: it fires by itself, a backup per slot
        await().atMost(Duration.ofSeconds(20)).until(() -> backupsOf("ticker").size() >= 3);

        // suspended: fires go on, backups stop
        submit(new Request.SuspendSchedule("ticker"));
        int made = backupsOf("ticker").size();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().store()
                .audit(ResourceRef.of(ResourceKind.SCHEDULE, "ticker")).toString().contains("SCHEDULE_SUSPENDED"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> backupsOf("ticker").size() <= made + 1);
    }

    @Test
    void should_remove_the_trigger_of_a_deleted_schedule() throws Exception {
        submit(new Request.CreateSchedulePolicy("every-5", PolicyType.INTERVAL, 5, null, null, false, null, null, null, null));
        submit(new Request.CreateSchedule("often", "east", "l1", "every-5", List.of("shop"), false, false));
        awaitTrigger("often");
        assertThat(quartz().getTrigger(TriggerKey.triggerKey("often", Triggers.GROUP)).getNextFireTime()).isNotNull();

        assertThat(submit(new Request.DeleteSchedule("often")).accepted()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !quartz().checkExists(JobKey.jobKey("often", Triggers.GROUP)));
        assertThat(engine.camel.getCamelContext().getRoute("schedule-often")).isNull();
    }
}
