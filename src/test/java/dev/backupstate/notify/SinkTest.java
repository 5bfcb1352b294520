package dev.backupstate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backupstate.model.Notice;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sink's configuration: a sink that cannot work stops the start naming its key; filters as operators type them. */
class SinkTest {

    private static List<Sink> configured(Map<String, String> settings) {
        return Sink.configured(settings::get);
    }

    private static Map<String, String> webhook() {
        Map<String, String> settings = new HashMap<>(Map.of("bse.notify.sinks", "ops",
                "bse.notify.ops.type", "webhook", "bse.notify.ops.url", "https://hooks.example.org/bse",
                "bse.notify.ops.secret", "sixteen-chars-at-least"));
        return settings;
    }

    @Test
    void should_refuse_a_sink_that_cannot_work_naming_the_key() {
        Map<String, String> noSecret = webhook();
        noSecret.remove("bse.notify.ops.secret");
        Map<String, String> shortSecret = webhook();
        shortSecret.put("bse.notify.ops.secret", "short");
        Map<String, String> badUrl = webhook();
        badUrl.put("bse.notify.ops.url", "file:///etc/passwd");
        Map<String, String> badEvent = webhook();
        badEvent.put("bse.notify.ops.events", "BackupFailed, BackupExploded");
        Map<String, String> badType = webhook();
        badType.put("bse.notify.ops.type", "pager");
        Map<String, String> mail = new HashMap<>(Map.of("bse.notify.sinks", "oncall", "bse.notify.oncall.type", "mail",
                "bse.notify.oncall.host", "smtp.example.org", "bse.notify.oncall.from", "bse@example.org"));

        assertThatThrownBy(() -> configured(noSecret)).hasMessageContaining("bse.notify.ops.secret");
        assertThatThrownBy(() -> configured(shortSecret)).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> configured(badUrl)).hasMessageContaining("bse.notify.ops.url").hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> configured(badEvent)).hasMessageContaining("'backupexploded' is not an event");
        assertThatThrownBy(() -> configured(badType)).hasMessageContaining("'pager' is not webhook, slack or mail");
        assertThatThrownBy(() -> configured(mail)).hasMessageContaining("bse.notify.oncall.to is missing");
        assertThatThrownBy(() -> configured(Map.of("bse.notify.sinks", "Bad_Name"))).hasMessageContaining("not a sink name");
        assertThat(configured(Map.of("bse.notify.sinks", ""))).isEmpty();
    }

    @Test
    void should_take_what_its_filters_name_as_operators_type_them() {
        Map<String, String> settings = webhook();
        settings.put("bse.notify.ops.events", "backup-failed, LocationInvalidOnCluster");
        settings.put("bse.notify.ops.clusters", "prod-eu-1");
        settings.put("bse.notify.ops.states", "failure, invalid");
        Sink sink = configured(settings).get(0);

        assertThat(sink.takes(notice(Notice.Kind.BackupFailed, "Failure", "prod-eu-1"))).isTrue();
        assertThat(sink.takes(notice(Notice.Kind.BackupFailed, "Failure", "dev-1"))).as("another cluster").isFalse();
        assertThat(sink.takes(notice(Notice.Kind.BackupPartialSuccess, "Partial Success", "prod-eu-1"))).as("another event").isFalse();
        assertThat(sink.takes(notice(Notice.Kind.LocationInvalidOnCluster, "Invalid", "prod-eu-1"))).isTrue();
    }

    @Test
    void should_sign_timestamp_and_body_so_that_neither_can_be_changed() {
        byte[] body = "{\"event\":\"BackupFailed\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature = Notifier.sign("sixteen-chars-at-least", "1764590400", body);

        assertThat(signature).hasSize(64).isEqualTo(Notifier.sign("sixteen-chars-at-least", "1764590400", body));
        assertThat(Notifier.sign("sixteen-chars-at-least", "1764590401", body)).isNotEqualTo(signature);
        assertThat(Notifier.sign("another-secret-of-length", "1764590400", body)).isNotEqualTo(signature);
        assertThat(Notifier.backOff(1)).hasSeconds(1);
        assertThat(Notifier.backOff(4)).hasSeconds(8);
        assertThat(Notifier.backOff(30)).hasMinutes(5);
    }

    @Test
    void should_keep_an_agents_words_from_becoming_a_mail_header_or_a_slack_mention() {
        // given: a cause crafted to add a header to the mail and to ping a whole Slack channel
        Map<String, String> settings = new HashMap<>(Map.of("bse.notify.sinks", "oncall, team",
                "bse.notify.oncall.type", "mail", "bse.notify.oncall.host", "smtp.example.org", "bse.notify.oncall.from", "bse@example.org",
                "bse.notify.oncall.to", "oncall@example.org", "bse.notify.team.type", "slack", "bse.notify.team.url", "https://hooks.slack.com/x"));
        Notifier notifier = new Notifier(null, configured(settings), 10, java.time.Clock.systemUTC());
        Notice crafted = new Notice(7, Instant.parse("2026-12-01T12:00:00Z"), Notice.Kind.BackupFailed, "backups", "b1", "Failure",
                "boom\r\nBcc: attacker@evil.example\r\n<!channel> <https://evil.example|click>", "c1", "l1", "m", List.of(), "r1");

        // when
        org.apache.camel.Exchange mail = exchange(crafted, "oncall");
        notifier.toMail(mail);
        org.apache.camel.Exchange slack = exchange(crafted, "team");
        notifier.toSlack(slack);

        // then: one subject line, no Bcc header; no mention or link Slack would render
        assertThat(mail.getMessage().getHeader("Subject", String.class)).doesNotContain("\r", "\n").contains("Bcc: attacker");
        assertThat(mail.getMessage().getHeader("Bcc")).isNull();
        assertThat(slack.getMessage().getBody(String.class)).doesNotContain("<!channel>", "<https://").contains("&lt;!channel&gt;");
    }

    private static org.apache.camel.Exchange exchange(Notice notice, String sink) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.getMessage().setBody(notice);
        exchange.setProperty(Notifier.SINK, sink);
        return exchange;
    }

    private static Notice notice(Notice.Kind kind, String state, String cluster) {
        return new Notice(1, Instant.parse("2026-12-01T12:00:00Z"), kind, "backups", "b1", state, null, cluster, "l1", "m", List.of(), "r1");
    }
}
