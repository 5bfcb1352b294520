package dev.backupstate.notify;

import dev.backupstate.inbox.Json;
import dev.backupstate.model.Notice;
import dev.backupstate.store.NoticeStore;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.slack.SlackComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What routes/notifications.camel.yaml calls: the notices each sink is due (in order, after its cursor,
 * through its filter, past its back-off), the message in each sink's format, and the bookkeeping after a
 * delivery or a failure. Each sink is a route made from the template of its type when the engine starts.
 * Deciding never waits for a sink: notices are in the store, and sinks read them on their own timer.
 */
public final class Notifier {

    /** Exchange properties (never sent to a receiver, unlike headers). */
    public static final String SINK = "bseSink";
    public static final String NOTICE_ID = "bseNoticeId";
    public static final String THROUGH = "bseNoticesThrough";
    public static final String SIGNATURE = "X-BSE-Signature";
    public static final String TIMESTAMP = "X-BSE-Timestamp";

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);

    private final NoticeStore store;
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private final int batch;
    private final Clock clock;
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    /** Notices sent to each sink in the current minute, and which minute (issue 21: a storm is summarised). */
    private final Map<String, long[]> sentThisMinute = new ConcurrentHashMap<>();
    private volatile int perMinute = 30;

    /** At most this many notices a minute to each sink; the rest of a minute's go as one summary (0: no limit). */
    public Notifier perMinute(int most) {
        if (most < 0) {
            throw new IllegalArgumentException("bse.notify.max-per-minute: 0 (no limit) or more, not " + most);
        }
        this.perMinute = most;
        return this;
    }

    public Notifier(NoticeStore store, List<Sink> sinks, int batch, Clock clock) {
        this.store = store;
        sinks.forEach(sink -> this.sinks.put(sink.name(), sink));
        this.batch = batch;
        this.clock = clock;
    }

    /** The notices one sink is to be sent now, and the last notice looked at (its filter passed over the rest). */
    public record Batch(String sink, List<Notice> notices, long through) {
    }

    public List<Sink> sinks() {
        return List.copyOf(sinks.values());
    }

    public NoticeStore store() {
        return store;
    }

    /** Makes each sink's route from its type's template; a Slack sink gets its own component, so its URL is in no endpoint URI. */
    public void start(CamelContext camel) throws Exception {
        for (Sink sink : sinks.values()) {
            TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(camel, sink.type().template())
                    .routeId("notify-" + sink.name()).parameter("sink", sink.name());
            switch (sink.type()) {
                case WEBHOOK -> route.parameter("uri", sink.setting("url") + (sink.setting("url").contains("?") ? "&" : "?")
                        + "httpMethod=POST&throwExceptionOnFailure=true");
                case SLACK -> {
                    SlackComponent slack = new SlackComponent();
                    slack.setWebhookUrl(sink.setting("url"));
                    camel.addComponent("slack-" + sink.name(), slack);
                    route.parameter("component", "slack-" + sink.name())
                            .parameter("channel", sink.settings().getOrDefault("channel", "backups"));
                }
                case MAIL -> route.parameter("uri", mailUri(sink));
            }
            route.add();
            store.sink(sink.name());
            LOG.info("notification sink {} ({}) takes {}", sink.name(), sink.type().name().toLowerCase(java.util.Locale.ROOT), sink.filter());
        }
    }

    private static String mailUri(Sink sink) {
        StringBuilder uri = new StringBuilder("smtp://").append(sink.setting("host")).append(':').append(sink.setting("port"))
                .append("?from=RAW(").append(sink.setting("from")).append(")&to=RAW(").append(sink.setting("to")).append(')')
                .append("&contentType=text/plain;charset=UTF-8&connectionTimeout=10000");
        if (sink.setting("username") != null) {
            uri.append("&username=RAW(").append(sink.setting("username")).append(")&password=RAW(")
                    .append(sink.settings().getOrDefault("password", "")).append(')');
        }
        return uri.toString();
    }

    /** For each sink not waiting out a back-off: the notices after its cursor that its filter takes. */
    public List<Batch> due() {
        List<Batch> due = new ArrayList<>();
        for (Sink sink : sinks.values()) {
            NoticeStore.SinkState state = store.sink(sink.name());
            if (state.nextAttemptAt() != null && state.nextAttemptAt().isAfter(clock.instant())) {
                continue;
            }
            List<Notice> after = store.after(state.deliveredThrough(), batch);
            if (after.isEmpty()) {
                continue;
            }
            long through = after.get(after.size() - 1).id();
            List<Notice> taken = after.stream().filter(sink::takes).toList();
            if (taken.isEmpty()) {
                store.delivered(sink.name(), through, 0);
            } else {
                limited(sink.name(), taken, through).ifPresent(due::add);
            }
        }
        return due;
    }

    /**
     * A batch within the sink's notices a minute: as it is while there is room; else the room's worth,
     * then one notice that sums up the rest (how many of each kind), which carries the cursor past them;
     * nothing when this minute's room is used up (the notices wait for the next minute, never dropped
     * unsaid).
     */
    Optional<Batch> limited(String sink, List<Notice> taken, long through) {
        if (perMinute == 0) {
            return Optional.of(new Batch(sink, taken, through));
        }
        long minute = clock.instant().getEpochSecond() / 60;
        long[] window = sentThisMinute.compute(sink, (name, seen) -> seen == null || seen[0] != minute ? new long[] {minute, 0} : seen);
        synchronized (window) {
            long room = perMinute - window[1];
            if (room <= 0) {
                return Optional.empty();
            }
            if (taken.size() <= room) {
                window[1] += taken.size();
                return Optional.of(new Batch(sink, taken, through));
            }
            List<Notice> sent = new ArrayList<>(taken.subList(0, (int) room - 1));
            List<Notice> rest = taken.subList((int) room - 1, taken.size());
            Map<Notice.Kind, Long> kinds = new java.util.TreeMap<>();
            rest.forEach(notice -> kinds.merge(notice.event(), 1L, Long::sum));
            sent.add(new Notice(through, clock.instant(), Notice.Kind.NoticesSummarised, null, null, null, null, null, null,
                    rest.size() + " more notices this minute, over this sink's " + perMinute + " a minute: " + kinds,
                    List.of(), null));
            window[1] = perMinute;
            return Optional.of(new Batch(sink, sent, through));
        }
    }

    /** Before a batch: which sink it is for and how far it reaches, as properties the sink routes do not send. */
    public List<Notice> open(Exchange exchange) {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        exchange.setProperty(SINK, batch.sink());
        exchange.setProperty(THROUGH, batch.through());
        return batch.notices();
    }

    /** Before each notice: its id, for the cursor once the receiver took it. */
    public void prepare(Exchange exchange) {
        exchange.setProperty(NOTICE_ID, exchange.getMessage().getBody(Notice.class).id());
    }

    /** The receiver took this notice: the sink's cursor moves to it. */
    public void delivered(Exchange exchange) {
        String sink = exchange.getProperty(SINK, String.class);
        store.delivered(sink, exchange.getProperty(NOTICE_ID, Long.class), 1);
        delivered.computeIfAbsent(sink, s -> new LongAdder()).increment();
    }

    /** The whole batch went: the cursor moves past the notices the filter passed over too. */
    public void caughtUp(Exchange exchange) {
        store.delivered(exchange.getProperty(SINK, String.class), exchange.getProperty(THROUGH, Long.class), 0);
    }

    /** The receiver refused or did not answer: the sink waits out a back-off, then starts again at the same notice. */
    public void failed(Exchange exchange) {
        String sink = exchange.getProperty(SINK, String.class);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        int attempts = store.failed(sink, Notifier::backOff, why);
        failures.computeIfAbsent(sink, s -> new LongAdder()).increment();
        LOG.warn("notification sink {} failed (attempt {}): {}; tried again in {} s", sink, attempts, why, backOff(attempts).toSeconds());
    }

    /** One second after the first failure, doubling to five minutes. */
    static Duration backOff(int attempts) {
        Duration next = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 12));
        return next.compareTo(LAST_RETRY) <= 0 ? next : LAST_RETRY;
    }

    // --- the formats ----------------------------------------------------------------------------

    /**
     * A webhook's body is the notice as JSON; {@value #SIGNATURE} is {@code sha256=} and the hex HMAC-SHA256,
     * keyed with the sink's secret, of {@code timestamp + "." + body}, the timestamp (epoch seconds) in
     * {@value #TIMESTAMP}: a receiver checks both and refuses old timestamps, so a captured request cannot
     * be replayed later.
     */
    public void toWebhook(Exchange exchange) {
        Notice notice = exchange.getMessage().getBody(Notice.class);
        Sink sink = sinks.get(exchange.getProperty(SINK, String.class));
        byte[] body = Json.toJson(notice).getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("X-BSE-Event", notice.event().name());
        exchange.getMessage().setHeader("X-BSE-Delivery", Long.toString(notice.id()));
        exchange.getMessage().setHeader(TIMESTAMP, timestamp);
        exchange.getMessage().setHeader(SIGNATURE, "sha256=" + sign(sink.setting("secret"), timestamp, body));
        exchange.getMessage().setBody(body);
    }

    /** The signature a receiver computes to check a webhook's body. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** A Slack message: the headline in bold, then where and why (camel-slack posts it to the incoming webhook as {"text": ...}). */
    public void toSlack(Exchange exchange) {
        Notice notice = exchange.getMessage().getBody(Notice.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody("*" + escape(oneLine(notice.headline())) + "*\n" + escape(details(notice)));
    }

    /** A mail: the headline as subject, the details as plain text. */
    public void toMail(Exchange exchange) {
        Notice notice = exchange.getMessage().getBody(Notice.class);
        Sink sink = sinks.get(exchange.getProperty(SINK, String.class));
        exchange.getMessage().removeHeaders("*");
        // a cause is the agent's text: no line break of it may start a header of its own
        exchange.getMessage().setHeader("Subject", (sink.settings().getOrDefault("subject-prefix", "[backup-state]") + " "
                + oneLine(notice.headline())));
        exchange.getMessage().setBody(details(notice) + "\n\nnotice " + notice.id() + ", " + notice.at() + "\n");
    }

    static String details(Notice notice) {
        StringBuilder text = new StringBuilder();
        line(text, "resource", notice.resourceKind() + "/" + notice.name());
        line(text, "state", notice.state());
        line(text, "reason", notice.reason());
        line(text, "cluster", notice.cluster());
        line(text, "location", notice.location());
        line(text, "rules said", notice.message());
        notice.notes().forEach(note -> line(text, "note", note));
        line(text, "request", notice.requestId());
        return text.toString().stripTrailing();
    }

    /**
     * One field, on its own line: a value is text from people or from clusters (a cause, Stork's Event
     * message), so its line breaks and other control characters become spaces, and no value can forge
     * a line ("state: Success") of its own.
     */
    private static void line(StringBuilder text, String name, String value) {
        if (value != null && !value.isBlank()) {
            text.append(name).append(": ").append(oneLine(value)).append('\n');
        }
    }

    /** Text on one line: every control character (C0, DEL, C1, line and paragraph separators) a space; at most 1,000 characters. */
    static String oneLine(String text) {
        String flat = text.replaceAll("[\\p{Cntrl}\\u0080-\\u009f\\u2028\\u2029]+", " ").strip();
        return flat.length() > 1_000 ? flat.substring(0, 1_000) + "..." : flat;
    }

    /** Slack's three control characters; nothing a resource's cause says becomes a mention or a link. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // --- health and metrics ---------------------------------------------------------------------

    public long deliveredCount(String sink) {
        LongAdder count = delivered.get(sink);
        return count == null ? 0 : count.sum();
    }

    public long failureCount(String sink) {
        LongAdder count = failures.get(sink);
        return count == null ? 0 : count.sum();
    }
}
