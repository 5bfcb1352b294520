package dev.backupstate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications (issue 14) to real receivers in the test JVM: a webhook receiver (JDK HTTP server) that
 * checks the HMAC signature as a receiver should, a receiver speaking Slack's incoming-webhook format
 * (camel-slack posts to it), and an SMTP server (GreenMail). The sandbox's namespace labelled Failed
 * makes a backup end Failure on a real (simulated) Stork; the webhook receiver is then taken down and
 * brought up again.
 */
class NotificationsIT {

    private static final String TOKEN = "sandbox-admin-token";
    private static final String SECRET = "a-webhook-secret-of-some-length";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private TestEngine engine;
    private RestClient rest;
    private GreenMail smtp;
    private Receiver webhook;
    private Receiver slack;
    private final int webhookPort = FreePort.find();

    /** A receiver as the other side runs it: takes POSTs, keeps what came, answers 200 (Slack: "ok"). */
    static final class Receiver {
        final List<Received> got = new CopyOnWriteArrayList<>();
        final HttpServer server;

        record Received(Map<String, List<String>> headers, byte[] body) {
            String text() {
                return new String(body, StandardCharsets.UTF_8);
            }

            String header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(e -> e.getValue().get(0)).findFirst().orElse(null);
            }
        }

        Receiver(int port, String path, String answer) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext(path, (HttpExchange exchange) -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean posted = exchange.getRequestMethod().equals("POST");
                if (posted) {
                    got.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
                }
                byte[] reply = (posted ? answer : "method").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(posted ? 200 : 405, reply.length);
                exchange.getResponseBody().write(reply);
                exchange.close();
            });
            server.start();
        }

        void stop() {
            server.stop(0);
        }
    }

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(FreePort.find(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhook = new Receiver(webhookPort, "/hooks/backups", "{}");
        slack = new Receiver(FreePort.find(), "/services/T000/B000/XXXX", "ok");
        engine = TestEngine.start(work, Map.ofEntries(
                Map.entry("bse.mode", "Federated"),
                Map.entry("bse.sandbox.enabled", "true"),
                Map.entry("bse.outbox.poll-millis", "100"),
                Map.entry("bse.clusters.follow-period-millis", "200"),
                Map.entry("bse.notify.poll-millis", "200"),
                Map.entry("bse.notify.sinks", "ops-webhook, team-slack, oncall-mail"),
                Map.entry("bse.notify.ops-webhook.type", "webhook"),
                Map.entry("bse.notify.ops-webhook.url", "http://127.0.0.1:" + webhookPort + "/hooks/backups"),
                Map.entry("bse.notify.ops-webhook.secret", SECRET),
                Map.entry("bse.notify.ops-webhook.events", "BackupFailed, LocationInvalidOnCluster"),
                Map.entry("bse.notify.team-slack.type", "slack"),
                Map.entry("bse.notify.team-slack.url", "http://127.0.0.1:" + slack.server.getAddress().getPort() + "/services/T000/B000/XXXX"),
                Map.entry("bse.notify.team-slack.events", "BackupFailed"),
                Map.entry("bse.notify.oncall-mail.type", "mail"),
                Map.entry("bse.notify.oncall-mail.host", "127.0.0.1"),
                Map.entry("bse.notify.oncall-mail.port", String.valueOf(smtp.getSmtp().getPort())),
                Map.entry("bse.notify.oncall-mail.from", "backups@example.org"),
                Map.entry("bse.notify.oncall-mail.to", "oncall@example.org"),
                Map.entry("bse.notify.oncall-mail.states", "Failure"),
                Map.entry("bse.notify.oncall-mail.clusters", "sandbox-east")));
        rest = new RestClient(engine.api());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        webhook.stop();
        slack.stop();
        smtp.stop();
    }

    private void failingBackup(String name) throws Exception {
        HttpResponse<String> created = rest.post(TOKEN, """
                kind: CreateBackup
                metadata: {requestId: create-%1$s}
                spec: {name: %1$s, cluster: sandbox-east, location: sandbox, namespaces: [billing]}
                """.formatted(name));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    }

    /** What a receiver does with a webhook: the signature over "timestamp.body", compared in constant time. */
    private static boolean signedBySecret(Receiver.Received received) {
        String timestamp = received.header(Notifier.TIMESTAMP);
        String signature = received.header(Notifier.SIGNATURE);
        if (timestamp == null || signature == null
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        return java.security.MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
                ("sha256=" + Notifier.sign(SECRET, timestamp, received.body())).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_tell_each_sink_what_its_filter_takes_in_its_own_format() throws Exception {
        // given: the sandbox preloaded, and a namespace whose backups end Failed
        await().atMost(Duration.ofSeconds(30)).until(() -> "Valid".equals(
                RestClient.json(rest.get(TOKEN, "/resources/backup-locations/sandbox")).path("state").asText()));
        HttpResponse<String> label = rest.post(TOKEN, "/sandbox/clusters/sandbox-east/namespaces/billing?outcome=Failed",
                HttpRequest.BodyPublishers.noBody());
        assertThat(label.statusCode()).as(label.body()).isEqualTo(200);

        // when: a backup of it runs
        failingBackup("billing-1");

        // then: the webhook gets the notice as JSON, signed; a forged signature would not pass
        await().atMost(Duration.ofSeconds(30)).until(() -> webhook.got.stream().anyMatch(r -> r.text().contains("billing-1")));
        Receiver.Received hook = webhook.got.stream().filter(r -> r.text().contains("billing-1")).findFirst().orElseThrow();
        assertThat(signedBySecret(hook)).as("signature checks with the shared secret").isTrue();
        assertThat(signedBySecret(new Receiver.Received(hook.headers(), hook.text().replace("billing-1", "billing-2")
                .getBytes(StandardCharsets.UTF_8)))).as("a changed body does not").isFalse();
        JsonNode notice = JSON.readTree(hook.body());
        assertThat(notice.path("event").asText()).isEqualTo("BackupFailed");
        assertThat(notice.path("state").asText()).isEqualTo("Failure");
        assertThat(notice.path("cluster").asText()).isEqualTo("sandbox-east");
        assertThat(notice.path("location").asText()).isEqualTo("sandbox");
        assertThat(notice.path("reason").asText()).as("the backup's cause, as the API shows it")
                .isEqualTo(RestClient.json(rest.get(TOKEN, "/resources/backups/billing-1")).path("cause").asText()).isNotBlank();
        assertThat(hook.header("X-BSE-Event")).isEqualTo("BackupFailed");
        assertThat(hook.header("X-BSE-Delivery")).isEqualTo(notice.path("id").asText());
        assertThat(hook.header("Content-Type")).startsWith("application/json");
        assertThat(hook.headers().keySet()).as("no engine-internal header leaks to the receiver")
                .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("bse") || name.startsWith("Camel"));
        // the preload's sandbox-west Invalid was its too; Slack and mail did not take it
        assertThat(webhook.got).anyMatch(r -> r.text().contains("LocationInvalidOnCluster") && r.text().contains("sandbox-west"));

        // and Slack's incoming webhook gets {"text": ...} with the headline
        await().atMost(Duration.ofSeconds(30)).until(() -> !slack.got.isEmpty());
        JsonNode message = JSON.readTree(slack.got.get(0).body());
        assertThat(message.path("text").asText()).contains("*Backup billing-1 failed", "cluster: sandbox-east");
        assertThat(slack.got).allMatch(r -> r.header("Content-Type").startsWith("application/json"));
        assertThat(slack.got).noneMatch(r -> r.text().contains("sandbox-west"));

        // and the on-call mailbox gets one mail
        await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 1);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[backup-state] Backup billing-1 failed (" + notice.path("reason").asText() + ")");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("oncall@example.org");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("backups@example.org");
        assertThat(((String) mail.getContent())).contains("resource: backups/billing-1", "state: Failure");
        assertThat(webhook.got.stream().filter(r -> r.text().contains("billing-1"))).as("once each").hasSize(1);
    }

    @Test
    void should_deliver_to_a_receiver_that_was_down_once_it_is_up_and_report_it_failing_meanwhile() throws Exception {
        // given: the webhook receiver down
        await().atMost(Duration.ofSeconds(30)).until(() -> "Valid".equals(
                RestClient.json(rest.get(TOKEN, "/resources/backup-locations/sandbox")).path("state").asText()));
        rest.post(TOKEN, "/sandbox/clusters/sandbox-east/namespaces/billing?outcome=Failed", HttpRequest.BodyPublishers.noBody());
        webhook.stop();

        // when: a backup fails while it is down
        failingBackup("billing-down");
        await().atMost(Duration.ofSeconds(30)).until(() -> "Failure".equals(
                RestClient.json(rest.get(TOKEN, "/resources/backups/billing-down")).path("state").asText()));

        // then: the other sinks get it; the webhook sink is reported failing in health and metrics, decisions go on
        await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(engine.management() + "/observe/health").body())
                .contains("notification sinks failing: ops-webhook"));
        assertThat(get(engine.management() + "/observe/health/ready").statusCode()).as("still ready").isEqualTo(200);
        assertThat(get(engine.management() + "/observe/health").statusCode()).as("advisory: never a 503").isEqualTo(200);
        assertThat(get(engine.management() + "/observe/metrics").body())
                .contains("bse_notify_failing{sink=\"ops-webhook\"} 1.0", "bse_notify_failing{sink=\"team-slack\"} 0.0")
                .containsPattern("bse_notify_failures_total\\{sink=\"ops-webhook\"} [1-9]");
        assertThat(rest.post(TOKEN, """
                kind: SetUserState
                metadata: {requestId: still-deciding}
                spec: {user: erin, state: Active, role: viewer}
                """).statusCode()).isEqualTo(202);

        // and when it is up again, on the same address
        webhook = new Receiver(webhookPort, "/hooks/backups", "{}");

        // then: it gets the notice, once, and the sink is no longer failing
        await().atMost(Duration.ofSeconds(60)).until(() -> webhook.got.stream().anyMatch(r -> r.text().contains("billing-down")));
        assertThat(signedBySecret(webhook.got.stream().filter(r -> r.text().contains("billing-down")).findFirst().orElseThrow())).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(engine.management() + "/observe/metrics").body())
                .contains("bse_notify_failing{sink=\"ops-webhook\"} 0.0"));
        assertThat(webhook.got.stream().filter(r -> r.text().contains("billing-down"))).hasSize(1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
