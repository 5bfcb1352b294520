package dev.backupstate.observe;

import dev.backupstate.engine.DecisionListener;
import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's own metrics, next to Camel's on /observe/metrics:
 * {@code bse_requests_total{kind,source,outcome}} (accepted, rejected, repeated, invalid),
 * {@code bse_decisions_total{rule,reason}}, and {@code bse_resources{kind,state}}.
 * The Prometheus registry is ours from the start (bound as Camel's {@code metricsRegistry}, which
 * camel-micrometer-prometheus then uses), so requests decided before Camel starts are counted too.
 */
public final class DomainMetrics implements DecisionListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Catalog catalog;
    private final Mode mode;
    private final MultiGauge resources;

    public DomainMetrics(Catalog catalog, Mode mode) {
        this.catalog = catalog;
        this.mode = mode;
        this.resources = MultiGauge.builder("bse.resources").description("Resources by kind and state").register(registry);
    }

    /**
     * The rules' figures (issue 13): the generation in force, refused reloads, and per rule how often it
     * threw while deciding (bse_rules_generation, bse_rules_reload_refused_total, bse_rules_errors_total{rule}).
     */
    public void watchRules(dev.backupstate.rules.RuleBook rules) {
        io.micrometer.core.instrument.Gauge.builder("bse.rules.generation", rules, dev.backupstate.rules.RuleBook::generation)
                .description("The generation of the rules in force").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("bse.rules.reload.refused", rules,
                        book -> book.refusedReloads()).description("Reloads of rules/ refused since start").register(registry);
        this.rules = rules;
    }

    private volatile dev.backupstate.rules.RuleBook rules;

    /** bse_rules_shadow_disagreements_total{rule}: the shadow rules would have decided an event otherwise. */
    /** Per sink: notices delivered, failed attempts, failing now (1) or not, and how many notices wait for it. */
    public void watchNotifications(dev.backupstate.notify.Notifier notifier) {
        for (dev.backupstate.notify.Sink sink : notifier.sinks()) {
            io.micrometer.core.instrument.FunctionCounter.builder("bse.notify.delivered", notifier, n -> n.deliveredCount(sink.name()))
                    .description("Notices a sink's receiver took").tag("sink", sink.name()).register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("bse.notify.failures", notifier, n -> n.failureCount(sink.name()))
                    .description("Failed deliveries to a sink").tag("sink", sink.name()).register(registry);
            io.micrometer.core.instrument.Gauge.builder("bse.notify.failing", notifier,
                            n -> n.store().find(sink.name()).map(s -> s.failing() ? 1.0 : 0.0).orElse(0.0))
                    .description("1 while a sink's last delivery failed").tag("sink", sink.name()).register(registry);
            io.micrometer.core.instrument.Gauge.builder("bse.notify.behind", notifier,
                            n -> n.store().find(sink.name()).map(s -> (double) Math.max(0, n.store().latest() - s.deliveredThrough())).orElse(0.0))
                    .description("Notices stored after a sink's cursor").tag("sink", sink.name()).register(registry);
        }
    }

    public void shadowDisagreed(String rule) {
        Counter.builder("bse.rules.shadow.disagreements").description("Events the shadow rules would decide otherwise, by their deciding rule")
                .tag("rule", rule).register(registry).increment();
    }
    private final java.util.Set<String> ruleErrorMeters = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void decided(Envelope envelope, Outcome outcome, boolean repeated) {
        String result = repeated ? "repeated" : outcome.accepted() ? "accepted" : "rejected";
        requests(envelope.event().getClass().getSimpleName(), envelope.source(), result).increment();
        if (!repeated && "RULE_ERROR".equals(outcome.reason()) && rules != null && ruleErrorMeters.add(outcome.rule())) {
            String rule = outcome.rule();
            io.micrometer.core.instrument.FunctionCounter.builder("bse.rules.errors", rules,
                            book -> book.ruleErrors().getOrDefault(rule, 0L)).description("Times a rule threw while deciding")
                    .tag("rule", rule).register(registry);
        }
        if (!repeated) {
            Counter.builder("bse.decisions").description("Decisions by the rule that decided and the reason")
                    .tag("rule", String.valueOf(outcome.rule()))
                    .tag("reason", outcome.reason() == null ? "none" : outcome.reason())
                    .register(registry).increment();
        }
    }

    /** A call refused 429 by a user's rate (issue 21), by what was limited. */
    public void limited(String limit) {
        Counter.builder("bse.limits.refused").description("Calls refused 429 because their user went over a rate, by rate")
                .tag("limit", limit).register(registry).increment();
    }

    /** A dry run answered (issue 21): counted by operation and what it would have done. */
    public void dryRun(String operation, boolean wouldAccept) {
        Counter.builder("bse.dry.runs").description("Dry runs answered, by operation and whether the rules would accept")
                .tag("kind", operation).tag("outcome", wouldAccept ? "accepted" : "rejected").register(registry).increment();
    }

    /** A document that could not be read never reaches the rules; it is counted here. */
    public void unreadable(Source source) {
        requests("unreadable", source, "invalid").increment();
    }

    /**
     * Counts resources per kind and state from the catalog. Called on a timer (routes/observe.camel.yaml),
     * not per scrape: counting walks the catalog, which at fleet scale is a million entries.
     */
    public void refreshResources() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            if (kind.existsIn(mode)) {
                for (Map.Entry<String, Integer> state : catalog.countByState(kind).entrySet()) {
                    rows.add(MultiGauge.Row.of(Tags.of("kind", kind.path(), "state", state.getKey()), state.getValue()));
                }
            }
        }
        resources.register(rows, true);
    }

    private Counter requests(String kind, Source source, String outcome) {
        return Counter.builder("bse.requests").description("Requests by kind, inbox and outcome")
                .tag("kind", kind).tag("source", source.name().toLowerCase(java.util.Locale.ROOT)).tag("outcome", outcome)
                .register(registry);
    }
}
