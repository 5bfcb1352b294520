package dev.backupstate.security;

import static dev.backupstate.testing.RestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.backupstate.inbox.Tokens;
import dev.backupstate.rules.ShadowRules;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The attacker's tests of issue 21 (the door, second pass), through the public doors: a viewer's and an
 * operator's token against the rules surfaces, an admin set Inactive against REST, the sandbox and the
 * broker, tokens in URLs, and the headers every answer carries. Each would pass on what landed before
 * only if the finding were not there.
 */
class SecondDoorIT {

    private static final String ADMIN = "sandbox-admin-token";
    private static final String DEV = "sandbox-dev-token";
    private static final String ROOT2 = "second-admin-token";
    private static final String VIEWER = "viewer-token";
    /** The bearer token inside an inline kubeconfig: what must never come back in any answer or log. */
    private static final String CLUSTER_TOKEN = "8929c0ffee5ecret7ok3n";

    @TempDir
    Path work;
    private TestEngine engine;
    private RestClient rest;

    @BeforeEach
    void start() throws Exception {
        Path shadow = Files.createDirectories(work.resolve("shadow-rules"));
        try (var files = Files.list(Path.of("rules"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".drl") || file.toString().endsWith(".yaml")) {
                    Files.copy(file, shadow.resolve(file.getFileName()));
                }
            }
        }
        Files.writeString(shadow.resolve("candidate.drl"), """
                package dev.backupstate.rules
                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "A candidate rule refuses every new cluster"
                when
                    AddCluster()
                then
                    insert(new Rejection(Reason.ACCESS_DENIED, "the candidate takes no clusters"));
                end
                """);
        engine = TestEngine.start(work, Map.of(
                "bse.rules.shadow-directory", shadow.toString(),
                "bse.users.admins", "admin,root2",
                "bse.users.viewers", "vera",
                "bse.limits.dry-runs-per-second", "1",
                "bse.tokens", "admin=" + Tokens.hash(ADMIN) + ",dev=" + Tokens.hash(DEV) + ",root2=" + Tokens.hash(ROOT2)
                        + ",vera=" + Tokens.hash(VIEWER)));
        rest = new RestClient(engine.api());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    // --- 1. credentials to any token holder ---------------------------------------------------------

    @Test
    void should_keep_the_rules_surfaces_to_admins_and_never_show_an_inline_kubeconfig() throws Exception {
        // given: the shadow rules' log watched, and an AddCluster with an inline kubeconfig the candidate decides otherwise
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(ShadowRules.class)).addAppender(log);
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters: [{name: x, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: x, user: {token: %s}}]
                contexts: [{name: x, context: {cluster: x, user: x}}]
                current-context: x
                """.formatted(CLUSTER_TOKEN);
        HttpResponse<String> added = rest.post(ADMIN, "kind: AddCluster\nmetadata: {requestId: add-inline}\nspec:\n  name: inline\n"
                + "  kubeconfig: |\n" + kubeconfig.indent(4));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        engine.runtime().loop().shadow().orElseThrow().drain(Duration.ofSeconds(10));

        // when: a viewer, an operator and an admin ask every rules surface
        for (String path : new String[] {"/rules", "/rules/shadow", "/rules/replay?rules=in-force"}) {
            HttpResponse<String> viewer = rest.get(VIEWER, path);
            HttpResponse<String> operator = rest.get(DEV, path);
            // then: only the admin is answered
            assertThat(viewer.statusCode()).as(path + " " + viewer.body()).isEqualTo(403);
            assertThat(operator.statusCode()).as(path + " " + operator.body()).isEqualTo(403);
            assertThat(viewer.body()).doesNotContain(CLUSTER_TOKEN);
        }
        HttpResponse<String> shadow = rest.get(ADMIN, "/rules/shadow");
        assertThat(shadow.statusCode()).isEqualTo(200);
        // and the admin sees the disagreement, its command masked as a dry run masks it, and no server path
        assertThat(shadow.body()).contains("PROBE_CLUSTER clusters/inline kubeconfig=(not shown)")
                .doesNotContain(CLUSTER_TOKEN).doesNotContain(work.toString());
        assertThat(json(shadow).path("directory").asText()).isEqualTo("shadow-rules");
        assertThat(rest.get(ADMIN, "/rules").body()).doesNotContain(work.toString()).doesNotContain(Path.of("rules").toAbsolutePath().toString());
        assertThat(rest.get(ADMIN, "/rules/replay?rules=in-force").body()).doesNotContain(CLUSTER_TOKEN);
        // and the engine's log holds the disagreement without the secret
        assertThat(log.list).isNotEmpty();
        assertThat(log.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(CLUSTER_TOKEN));
        HttpResponse<String> dryRun = rest.post(ADMIN, "/requests?dryRun=true", HttpRequest.BodyPublishers.ofString(
                "kind: AddCluster\nspec:\n  name: inline2\n  kubeconfig: |\n" + kubeconfig.indent(4)));
        assertThat(dryRun.body()).contains("kubeconfig=(not shown)").doesNotContain(CLUSTER_TOKEN);
    }

    // --- 5. inactive and demoted users keep access ----------------------------------------------------

    @Test
    void should_let_a_user_who_is_not_active_read_nothing_on_any_door() throws Exception {
        // given: the second admin, with the outcomes queue open on the broker
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(engine.brokerUrl(), "root2", ROOT2);
        Connection connection = factory.createConnection();
        AtomicReference<JMSException> closed = new AtomicReference<>();
        connection.setExceptionListener(closed::set);
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer outcomes = session.createConsumer(session.createQueue("backupstate.outcomes"));
        assertThat(rest.get(ROOT2, "/resources/backups").statusCode()).isEqualTo(200);

        // when: the first admin sets them Inactive
        HttpResponse<String> set = rest.post(ADMIN, "kind: SetUserState\nspec: {user: root2, state: Inactive, role: admin}\n");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(202);

        // then: REST reads nothing, replay and the sandbox refuse, /me says why
        HttpResponse<String> list = rest.get(ROOT2, "/resources/backups");
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(json(list).path("error").asText()).contains("user root2 is Inactive");
        assertThat(rest.get(ROOT2, "/resources/clusters").statusCode()).isEqualTo(403);
        assertThat(rest.get(ROOT2, "/matrix").statusCode()).isEqualTo(403);
        assertThat(rest.get(ROOT2, "/rules/replay?rules=in-force").statusCode()).isEqualTo(403);
        assertThat(rest.get(ROOT2, "/audit?resource=clusters/x").statusCode()).isEqualTo(403);
        HttpResponse<String> me = rest.get(ROOT2, "/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me).path("state").asText()).isEqualTo("Inactive");
        assertThat(json(me).path("role").asText()).isEqualTo("admin");
        assertThat(json(rest.get(ADMIN, "/me")).path("state").asText()).isEqualTo("Active");
        HttpResponse<String> sandbox = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(engine.api() + "/sandbox/clusters/sandbox-east/kubeconfig"))
                .header("Authorization", "Bearer " + ROOT2).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sandbox.statusCode()).isEqualTo(403);
        // and the broker: the open connection is closed, a new one refused
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(closed.get()).isNotNull());
        assertThatThrownBy(() -> outcomes.receive(100)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> factory.createConnection().close()).isInstanceOf(JMSException.class);
        try {
            connection.close();
        } catch (JMSException alreadyClosed) {
            // closed by the engine
        }
    }

    @Test
    void should_take_a_demoted_admins_broker_rights_at_once() throws Exception {
        // given: the second admin may browse the outcomes queue
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(engine.brokerUrl(), "root2", ROOT2);
        try (Connection before = factory.createConnection()) {
            Session session = before.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue("backupstate.outcomes")).close();
        }

        // when: demoted to operator
        HttpResponse<String> set = rest.post(ADMIN, "kind: SetUserState\nspec: {user: root2, state: Active, role: operator}\n");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(202);

        // then: the outcomes queue is closed to them; they may still send requests as an operator
        try (Connection after = factory.createConnection()) {
            Session session = after.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("backupstate.outcomes")).close())
                    .isInstanceOf(jakarta.jms.JMSSecurityException.class);
            session.createProducer(session.createQueue("backupstate.requests")).close();
        }
        assertThat(json(rest.get(ROOT2, "/me")).path("role").asText()).isEqualTo("operator");
        assertThat(rest.get(ROOT2, "/rules").statusCode()).isEqualTo(403);
    }

    // --- 10. the dead-letter queue keeps no inline kubeconfig ------------------------------------------

    @Test
    void should_keep_a_parked_requests_secrets_off_the_dead_letter_queue() throws Exception {
        // given: a request Artemis parked after its last delivery (as the engine's broker does when no
        // attempt could decide it), with an inline kubeconfig
        String document = "kind: AddCluster\nmetadata: {requestId: parked-1}\nspec:\n  name: far\n  kubeconfig: |\n"
                + "    users: [{name: x, user: {token: %s}}]\n".formatted(CLUSTER_TOKEN);
        jakarta.jms.ConnectionFactory asEngine = engine.camel.getCamelContext().getRegistry()
                .lookupByNameAndType("brokerConnectionFactory", jakarta.jms.ConnectionFactory.class);
        try (Connection connection = asEngine.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("backupstate.requests.parked")).send(session.createTextMessage(document));
        }

        // when: an admin reads the dead-letter queue
        ActiveMQConnectionFactory admin = new ActiveMQConnectionFactory(engine.brokerUrl(), "admin", ADMIN);
        String kept;
        try (Connection connection = admin.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Message message = session.createConsumer(session.createQueue("backupstate.requests.dead")).receive(10_000);
            assertThat(message).as("the parked request reaches the dead-letter queue").isNotNull();
            kept = message instanceof jakarta.jms.TextMessage text ? text.getText()
                    : new String(message.getBody(byte[].class), java.nio.charset.StandardCharsets.UTF_8);
            // then: nobody but the engine touches the parking queue, not even an admin
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("backupstate.requests.parked")).close())
                    .isInstanceOf(jakarta.jms.JMSSecurityException.class);
        }

        // then: the request is kept, its kubeconfig masked
        assertThat(kept).contains("kind: \"AddCluster\"", "parked-1", "kubeconfig: \"(not shown)\"").doesNotContain(CLUSTER_TOKEN);
    }

    // --- 8. limits ------------------------------------------------------------------------------------

    @Test
    void should_hold_one_user_to_their_rate_and_leave_everyone_else_alone() throws Exception {
        // given: one dry run a second for each user (a burst of two passes)
        String document = "kind: CreateSchedulePolicy\nspec: {name: p1, type: Daily, time: '02:00', retain: 3}\n";

        // when: dev floods dry runs
        java.util.List<HttpResponse<String>> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            flood.add(rest.post(DEV, "/requests?dryRun=true", HttpRequest.BodyPublishers.ofString(document)));
        }
        HttpResponse<String> other = rest.post(VIEWER, "/requests?dryRun=true", HttpRequest.BodyPublishers.ofString(document));

        // then: dev is told to wait, and how long; vera is not; the refusals are counted
        HttpResponse<String> refused = flood.stream().filter(answer -> answer.statusCode() == 429).findFirst().orElseThrow(
                () -> new AssertionError("six dry runs at once, none refused: " + flood.stream().map(HttpResponse::statusCode).toList()));
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(json(refused).path("error").asText()).contains("user dev went over 1.0 dry runs a second");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(engine.management() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("bse_limits_refused_total{limit=\"dry-runs\"}");
        // and a policy that would keep more than the bound is refused at the door, naming the field
        HttpResponse<String> tooMany = rest.post(DEV, "kind: CreateSchedulePolicy\nspec: {name: p2, type: Daily, time: '02:00', retain: 251}\n");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).path("field").asText()).isEqualTo("spec.retain");
    }

    // --- 7 and 9. headers and tokens -------------------------------------------------------------------

    @Test
    void should_take_a_token_only_from_the_authorization_header() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/sandbox/clusters/sandbox-east/kubeconfig?Authorization=Bearer%20" + ADMIN,
                "/resources/backups?access_token=" + ADMIN, "/me?authorization=Bearer%20" + ADMIN}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(engine.api() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(400);
            assertThat(answer.body()).as(path).contains("only in the Authorization header");
        }
    }

    @Test
    void should_answer_with_headers_that_keep_answers_out_of_caches_sniffers_and_frames() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/api/v1/me", "/api/v1/resources/backups", "/console/", "/api/v1/openapi.json"}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.restPort + path))
                    .header("Authorization", "Bearer " + DEV).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        }
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(engine.api() + "/me"))
                .header("Authorization", "Bearer nobody").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
