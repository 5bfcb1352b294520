package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.cluster.AgentContract;
import dev.backupstate.inbox.Broker;
import dev.backupstate.inbox.BrokerSecurity;
import dev.backupstate.inbox.Tokens;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.EngineProcess;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestDatabases;
import dev.backupstate.testing.TestEngine;
import io.fabric8.kubernetes.api.model.PodBuilder;
import jakarta.jms.Session;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one PostgreSQL electing their leader through a coordination.k8s.io Lease (Camel's
 * KubernetesClusterService, 15 s / 10 s / 2 s) on a real kube-apiserver (RealCluster: etcd, optimistic locking on the Lease),
 * with their pods there as members; one broker (Artemis, with authentication) shared by both. The leader
 * is another process; this JVM's engine follows. Proves issue 12's failover: kill -9 of the leader
 * mid-burst of REST and broker requests with an interval schedule firing and a backup running, and a
 * leader paused past its lease (SIGSTOP) that resumes and commits nothing.
 */
class LeaseFailoverIT {

    private static final String USER = TestDatabases.POSTGRES_USER;
    private static final String PASSWORD = TestDatabases.POSTGRES_PASSWORD;
    private static final String TOKEN = "sandbox-admin-token";
    private static final String NAMESPACE = "backup-state";
    private static final String ENGINE_SECRET = "lease-failover-engine-secret";
    private static final int BURST = 30;

    @TempDir
    Path work;
    private dev.backupstate.testing.RealCluster controlPlane;
    private SandboxCluster east;
    private SandboxObjectStore s3;
    private int s3Port;
    private EmbeddedActiveMQ broker;
    private int brokerPort;
    private Process leader;
    private TestEngine follower;
    private String url;
    private Map<String, String> shared;

    @BeforeEach
    void start() throws Exception {
        String schema = "lease_" + Long.toString(System.nanoTime(), 36);
        try (Connection sql = DriverManager.getConnection(TestDatabases.POSTGRES_URL, USER, PASSWORD); Statement create = sql.createStatement()) {
            create.execute("create schema " + schema);
        }
        url = TestDatabases.postgresUrl(schema);
        // the cluster the engines run on: their pods (Camel counts running, ready pods as members) and the Lease
        // the engines' own cluster, a real API server: the Lease with its optimistic locking (a stale
        // resourceVersion is a 409), and their pods as Camel counts members (running and ready; the
        // test plays the kubelet, which a bare API server lacks, by writing the pods' status)
        controlPlane = dev.backupstate.testing.RealCluster.start("control-plane", work);
        controlPlane.namespace(NAMESPACE);
        for (String pod : List.of("engine-a", "engine-b")) {
            controlPlane.admin().pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                    .withNewMetadata().withName(pod).withNamespace(NAMESPACE).addToLabels("app", "backup-state-engine").endMetadata()
                    .withNewSpec().addNewContainer().withName("engine").withImage("backup-state-engine").endContainer().endSpec()
                    .build()).create();
            controlPlane.admin().pods().inNamespace(NAMESPACE).withName(pod).editStatus(found -> new PodBuilder(found)
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build());
        }
        Path kubeconfig = work.resolve("control-plane.kubeconfig");
        Files.writeString(kubeconfig, controlPlane.adminKubeconfig());
        // the cluster backups run on, and their bucket
        east = new SandboxCluster("east");
        east.installAgent("kube-system", "stork", true);
        s3Port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        // one broker for both engines, people logging in with their tokens, the engines as "engine"
        brokerPort = FreePort.find();
        broker = Broker.server(work.resolve("broker"), "vm://" + brokerPort, "tcp://127.0.0.1:" + brokerPort,
                new BrokerSecurity(new Tokens("admin=" + Tokens.hash(TOKEN)), Set.of("admin"), ENGINE_SECRET),
                "backupstate.requests", "backupstate.outcomes", "backupstate.requests.dead");
        shared = new HashMap<>(Map.ofEntries(
                Map.entry("bse.database.url", url), Map.entry("bse.database.user", USER), Map.entry("bse.database.password", PASSWORD),
                Map.entry("bse.leader.cluster-service", "kubernetes"),
                Map.entry("bse.leader.kubeconfig", kubeconfig.toString()),
                Map.entry("bse.leader.namespace", NAMESPACE),
                Map.entry("bse.broker.url", "tcp://127.0.0.1:" + brokerPort),
                Map.entry("bse.broker.user", BrokerSecurity.ENGINE),
                Map.entry("bse.broker.password", ENGINE_SECRET),
                Map.entry("bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY),
                Map.entry("bse.outbox.poll-millis", "100"),
                Map.entry("bse.clusters.follow-period-millis", "200"),
                Map.entry("bse.schedules.interval-minute-millis", "1000")));
    }

    @AfterEach
    void stop() throws Exception {
        if (leader != null) {
            resume(leader);
            leader.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            // the other engine's log, kept for whoever reads a failure
            Files.copy(work.resolve("engine-b.log"), Path.of("target", "LeaseFailoverIT-engine-b.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (follower != null) {
            follower.close();
        }
        broker.stop();
        s3.close();
        east.close();
        controlPlane.close();
    }

    @Test
    void should_fail_over_through_the_lease_when_the_leader_is_killed_mid_burst() throws Exception {
        // given: the other process leads, this JVM's engine follows; a schedule fires every second and a backup runs
        RestClient client = leaderAndFollower();
        accepted(client, "kind: CreateSchedulePolicy\nmetadata: {requestId: every-second}\n"
                + "spec: {name: every-second, type: Interval, intervalMinutes: 1, retain: 250}\n");
        accepted(client, "kind: CreateSchedule\nmetadata: {requestId: ticker}\n"
                + "spec: {name: ticker, cluster: east, location: l1, policy: every-second, namespaces: [shop], allowParallel: true}\n");
        accepted(client, "kind: CreateBackup\nmetadata: {requestId: long-run}\nspec: {name: long-run, cluster: east, location: l1, namespaces: [shop]}\n");
        var backups = east.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace("kube-system");
        await().atMost(Duration.ofSeconds(20)).until(() -> backups.withName("long-run").get() != null);
        report(backups, "long-run", "InProgress", "Volumes");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(client, "/resources/backups/long-run").equals("In-Progress"));
        await().atMost(Duration.ofSeconds(30)).until(() -> triggeredSlots().size() >= 3);

        // when: a burst of writes, by REST through the follower and on the broker, and the leader killed in the middle
        try (jakarta.jms.Connection jms = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort, "admin", TOKEN).createConnection()) {
            Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var requests = session.createProducer(session.createQueue("backupstate.requests"));
            for (int i = 0; i < BURST; i++) {
                if (i == BURST / 3) {
                    leader.destroyForcibly();
                    kubeletSeesReady("engine-b", false);
                }
                if (i % 2 == 0) {
                    HttpResponse<String> answer = sendUntilDecided(client, user(i));
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                } else {
                    requests.send(session.createTextMessage(user(i)));
                }
            }
        }

        // then: the follower leads through the Lease, and every request, REST or broker, was decided exactly once
        await().atMost(Duration.ofSeconds(60)).until(() -> follower.leadership().leading());
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(distinct request_id) from audit where request_id like 'burst-%'") == BURST);
        assertThat(count("select count(*) from audit where request_id like 'burst-%'")).as("decisions").isEqualTo(BURST);
        assertThat(count("select count(*) from resource where kind = 'USER' and name like 'burst-user-%'")).isEqualTo(BURST);
        assertThat(holder()).isEqualTo("engine-a");
        Object lease = controlPlane.admin().leases().inNamespace(NAMESPACE).list().getItems().get(0).getSpec().getHolderIdentity();
        assertThat(lease).as("the Lease's holder").isEqualTo("engine-a");

        // and the schedule goes on under the new leader, no slot fired twice
        int afterFailover = triggeredSlots().size();
        await().atMost(Duration.ofSeconds(30)).until(() -> triggeredSlots().size() >= afterFailover + 3);
        assertThat(triggeredSlots()).doesNotHaveDuplicates();
        // and no command was committed twice: one RUN_BACKUP per backup
        assertThat(count("select count(*) from (select target from outbox where command_type = 'RUN_BACKUP' "
                + "group by target having count(*) > 1) twice")).isZero();

        // and the backup running at the kill is followed to its end by the new leader
        report(backups, "long-run", "Successful", "Final");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(client, "/resources/backups/long-run").equals("Success"));
    }

    @Test
    void should_commit_nothing_from_a_leader_paused_past_its_lease() throws Exception {
        // given
        RestClient client = leaderAndFollower();
        long epochBefore = count("select epoch from leadership where id = 1");

        // when: the leader is paused (SIGSTOP) past its lease
        signal(leader, "STOP");
        kubeletSeesReady("engine-b", false);
        await().atMost(Duration.ofSeconds(60)).until(() -> follower.leadership().leading());
        accepted(client, user(100));
        long epochOfFollower = count("select epoch from leadership where id = 1");
        long decisionsBeforeResume = count("select count(*) from audit");

        // and resumes, still believing it leads
        resume(leader);
        kubeletSeesReady("engine-b", true);

        // then: it finds itself fenced and steps down; the new leader's epoch stands, and the old one commits nothing
        Path log = work.resolve("engine-b.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("no longer leads"));
        assertThat(epochOfFollower).isGreaterThan(epochBefore);
        assertThat(count("select epoch from leadership where id = 1")).isEqualTo(epochOfFollower);
        assertThat(holder()).isEqualTo("engine-a");
        // its own REST door passes a write to the leader now
        RestClient old = new RestClient("http://127.0.0.1:" + oldLeaderPort + "/api/v1");
        HttpResponse<String> answer = sendUntilDecided(old, user(101));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(count("select count(*) from audit where request_id = 'burst-101'")).isEqualTo(1);
        // what was decided after the pause: only what the new leader decided (the one request, and its own observations)
        assertThat(count("select count(*) from audit where request_id like 'burst-%'")).isEqualTo(2);
        assertThat(decisionsBeforeResume).isPositive();
    }

    private int oldLeaderPort;

    /** The other process leads (Lease holder engine-b), this JVM's engine (engine-a) follows; east and l1 ready. */
    private RestClient leaderAndFollower() throws Exception {
        oldLeaderPort = FreePort.find();
        leader = EngineProcess.start(work, "b", oldLeaderPort, shared);
        await().atMost(Duration.ofSeconds(90)).until(() -> "engine-b".equals(holder()));
        Map<String, String> a = new HashMap<>(shared);
        a.put("bse.leader.member", "engine-a");
        follower = TestEngine.startOnly(work.resolve("a"), a);
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.camel.getCamelContext().isStarted());
        assertThat(follower.leadership().leading()).isFalse();
        RestClient client = new RestClient(follower.api());
        accepted(client, "kind: AddCluster\nmetadata: {requestId: east}\nspec: {name: east, kubeconfig: "
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(east.kubeconfig()) + "}\n");
        accepted(client, "kind: CreateBackupLocation\nmetadata: {requestId: l1}\nspec: {name: l1, endpoint: \"http://127.0.0.1:" + s3Port
                + "\", region: us-east-1, bucket: backups, credentials: good}\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(client, "/resources/clusters/east").equals("Active")
                && state(client, "/resources/backup-locations/l1").equals("Valid"));
        return client;
    }

    private static String user(int i) {
        return "kind: SetUserState\nmetadata: {requestId: burst-" + i + "}\nspec: {user: burst-user-" + i + ", state: Active, role: viewer}\n";
    }

    private static void accepted(RestClient client, String document) {
        HttpResponse<String> answer = sendUntilDecided(client, document);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    /** A client's way with a 503 (no leader now) or a dropped connection: the same request again until decided. */
    private static HttpResponse<String> sendUntilDecided(RestClient client, String document) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO)
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> client.post(TOKEN, document), answer -> answer.statusCode() != 503 && answer.statusCode() != 502);
    }

    private static String state(RestClient client, String path) throws Exception {
        HttpResponse<String> answer = client.get(TOKEN, path);
        return answer.statusCode() == 200 ? RestClient.json(answer).path("state").asText() : "";
    }

    /** What Stork does: write the ApplicationBackup's status. */
    private static void report(io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<io.fabric8.kubernetes.api.model.GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, io.fabric8.kubernetes.client.dsl.Resource<
            io.fabric8.kubernetes.api.model.GenericKubernetesResource>> backups, String name, String status, String stage) {
        backups.withName(name).edit(object -> {
            object.setAdditionalProperty("status", Map.of("status", status, "stage", stage));
            return object;
        });
    }

    /**
     * What the kubelet does when a container dies or stops answering its readiness probe: the pod is no
     * longer Ready (and Ready again once it answers). Camel's KubernetesClusterService counts only running,
     * ready pods as members; a leader that is not one is a lost leader.
     */
    private void kubeletSeesReady(String pod, boolean ready) {
        controlPlane.admin().pods().inNamespace(NAMESPACE).withName(pod).editStatus(found -> {
            found.getStatus().getConditions().forEach(condition -> {
                if ("Ready".equals(condition.getType())) {
                    condition.setStatus(ready ? "True" : "False");
                }
            });
            return found;
        });
    }

    private static void signal(Process process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor()).isZero();
    }

    private static void resume(Process process) throws Exception {
        if (process.isAlive()) {
            signal(process, "CONT");
        }
    }

    private long count(String query) throws Exception {
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement statement = sql.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String holder() {
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
             ResultSet rows = query.executeQuery("select holder from leadership where id = 1")) {
            return rows.next() ? rows.getString(1) : null;
        } catch (java.sql.SQLException e) {
            // not migrated yet
            return null;
        }
    }

    /** The backup name of every ScheduleTriggered decision, one per fire. */
    private List<String> triggeredSlots() throws Exception {
        List<String> slots = new ArrayList<>();
        Pattern slot = Pattern.compile("ticker-\\d{8}-\\d{6}");
        try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
             ResultSet rows = query.executeQuery("select transitions, notes, message from audit where event_kind = 'ScheduleTriggered'")) {
            while (rows.next()) {
                Matcher found = slot.matcher(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
                if (found.find()) {
                    slots.add(found.group());
                }
            }
        }
        return slots;
    }
}
