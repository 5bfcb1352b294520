package dev.backupstate.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.PolicyType;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestDatabases;
import dev.backupstate.testing.TestEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one PostgreSQL (this JVM and a second process, as two machines would be), electing
 * their leader through one lock file (issue 12): the leader alone fires schedules; when it stops, the
 * other takes the lead and the schedule goes on, each slot fired once (Quartz's job store is clustered
 * too, and the fencing epoch refuses a deposed leader's commits).
 */
class ClusteredSchedulesIT {

    private static final String URL = TestDatabases.POSTGRES_URL;
    private static final String USER = TestDatabases.POSTGRES_USER;
    private static final String PASSWORD = TestDatabases.POSTGRES_PASSWORD;

    @TempDir
    Path work;
    private TestEngine engineA;
    private Process engineB;
    private SandboxObjectStore s3;
    private SandboxCluster east;

    @AfterEach
    void stop() throws Exception {
        if (engineB != null) {
            engineB.destroy();
            engineB.waitFor(30, TimeUnit.SECONDS);
        }
        if (engineA != null) {
            engineA.close();
        }
        east.close();
        s3.close();
    }

    @Test
    void should_fire_each_slot_once_across_two_engines() throws Exception {
        String schema = "sched_" + Long.toString(System.nanoTime(), 36);
        try (Connection sql = DriverManager.getConnection(URL, USER, PASSWORD); Statement create = sql.createStatement()) {
            create.execute("create schema " + schema);
        }
        String url = TestDatabases.postgresUrl(schema);
        int s3Port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        east = new SandboxCluster("east");
        east.installAgent("kube-system", "stork", true);
        Map<String, String> shared = new HashMap<>(Map.of(
                "bse.database.url", url, "bse.database.user", USER, "bse.database.password", PASSWORD,
                "bse.leader.file-root", work.resolve("leader").toString(),
                "bse.leader.retry-millis", "500",
                "bse.schedules.interval-minute-millis", "1000",
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100"));

        // engine A sets the world up, then engine B starts on the same database
        Map<String, String> a = new HashMap<>(shared);
        a.put("bse.schedules.instance-id", "engine-a");
        engineA = TestEngine.start(work.resolve("a"), a);
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + s3Port, "us-east-1", "backups", "", "good"));
        await().atMost(Duration.ofSeconds(15)).until(() -> engineA.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.CLUSTER, "east")).map(c -> c.state() == ClusterState.ACTIVE).orElse(false)
                && engineA.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "l1"))
                .map(l -> l.state().label().equals("Valid")).orElse(false));
        submit(new Request.CreateSchedulePolicy("every-minute", PolicyType.INTERVAL, 1, null, null, false, null, null, 250, null));
        submit(new Request.CreateSchedule("ticker", "east", "l1", "every-minute", List.of("shop"), true, false));
        engineB = startEngineB(shared);

        // when: the schedule runs for a while under A, with B following
        int before = triggeredSlots(url).size();
        await().atMost(Duration.ofSeconds(60)).until(() -> triggeredSlots(url).size() >= before + 4);
        String memberA = engineA.leadership().member();
        assertThat(leader(url)).isEqualTo(memberA);

        // and A stops: B takes the lead, and the schedule goes on
        engineA.close();
        engineA = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> !leader(url).equals(memberA));
        int afterFailover = triggeredSlots(url).size();
        await().atMost(Duration.ofSeconds(60)).until(() -> triggeredSlots(url).size() >= afterFailover + 4);

        // then: no slot was fired twice
        List<String> slots = triggeredSlots(url);
        assertThat(slots).doesNotHaveDuplicates();
    }

    private void submit(Request request) {
        engineA.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", Source.REST, Instant.now(), request));
    }

    private Process startEngineB(Map<String, String> shared) throws Exception {
        return dev.backupstate.testing.EngineProcess.start(work, "b", FreePort.find(), shared);
    }

    /** Who holds the newest leadership epoch, as the store says. */
    private static String leader(String url) throws Exception {
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
             ResultSet rows = query.executeQuery("select holder from leadership where id = 1")) {
            rows.next();
            return String.valueOf(rows.getString(1));
        }
    }

    /** The Quartz instances checked in to the shared job store. */
    private static List<String> instances(String url) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
             ResultSet rows = query.executeQuery("select instance_name from qrtz_scheduler_state")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** The backup name of every ScheduleTriggered decision in the shared audit trail, one per fire. */
    private static List<String> triggeredSlots(String url) throws Exception {
        List<String> slots = new ArrayList<>();
        Pattern slot = Pattern.compile("ticker-\\d{8}-\\d{6}");
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
             ResultSet rows = query.executeQuery("select * from audit where event_kind = 'ScheduleTriggered'")) {
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.append(rows.getString(column)).append(' ');
                }
                Matcher found = slot.matcher(row);
                if (found.find()) {
                    slots.add(found.group());
                }
            }
        }
        return slots;
    }
}
