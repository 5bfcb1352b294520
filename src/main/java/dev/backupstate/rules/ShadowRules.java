package dev.backupstate.rules;

import dev.backupstate.model.Command;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Transition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate rule set (bse.rules.shadow-directory) decided beside the rules in force on every event,
 * never acting (issue 13): on the same facts, after the real decision, on a thread of its own so that
 * it never slows a decision (when it falls behind, events are skipped and counted). Where the two
 * disagree (accepted, reason, transitions or commands), the disagreement is logged, counted by the
 * candidate's deciding rule and kept for GET /api/v1/rules/shadow. Promoting the candidate is moving
 * its files into rules/.
 */
public final class ShadowRules implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowRules.class);
    private static final int KEPT = 100;

    /** One event the candidate would have decided otherwise. */
    public record Disagreement(Instant at, String requestId, String event, String subject, String inForce, String shadow,
                               String shadowRule, List<String> differences) {
    }

    /** What GET /api/v1/rules/shadow answers. */
    public record Report(String directory, long generation, long compared, long skipped, long disagreements,
                         Map<String, Long> byRule, List<Disagreement> recent, ReloadReport lastRefusal) {
    }

    private final RuleBook candidate;
    private final Clock clock;
    private final Consumer<String> counted;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1_000), task -> {
                Thread thread = new Thread(task, "bse-shadow-rules");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
    private final AtomicLong compared = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong disagreements = new AtomicLong();
    private final Map<String, Long> byRule = new TreeMap<>();
    private final Deque<Disagreement> recent = new ArrayDeque<>();

    /** {@code counted}: told the candidate's rule of each disagreement (the metric). */
    public ShadowRules(RuleBook candidate, Clock clock, Consumer<String> counted) {
        this.candidate = candidate;
        this.clock = clock;
        this.counted = counted;
    }

    public RuleBook candidate() {
        return candidate;
    }

    /** The event's facts and the decision in force; the candidate decides them later, on its own thread. */
    public void offer(Envelope envelope, List<Object> facts, Decision inForce) {
        try {
            worker.execute(() -> compare(envelope, facts, inForce));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            skipped.incrementAndGet();
        }
    }

    /**
     * Waits until every event offered so far has been compared (tests, and a clean stop): a marker queued
     * behind them on the one worker thread.
     */
    public void drain(java.time.Duration atMost) {
        try {
            worker.submit(() -> { }).get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the shadow rules did not catch up within " + atMost + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void compare(Envelope envelope, List<Object> facts, Decision inForce) {
        Decision shadow;
        try {
            shadow = candidate.evaluate(facts);
        } catch (RuntimeException e) {
            shadow = null;
            LOG.warn("shadow rules could not decide {} {}: {}", envelope.event().operation(), envelope.event().subject(), e.getMessage());
        }
        compared.incrementAndGet();
        List<String> differences = differences(inForce, shadow);
        if (differences.isEmpty()) {
            return;
        }
        String rule = shadow == null ? "(shadow failed)" : String.valueOf(shadow.rule());
        Disagreement disagreement = new Disagreement(clock.instant(), envelope.requestId(), envelope.event().operation(),
                envelope.event().subject().toString(), summary(inForce), shadow == null ? "(no decision)" : summary(shadow), rule, differences);
        disagreements.incrementAndGet();
        synchronized (this) {
            byRule.merge(rule, 1L, Long::sum);
            recent.addFirst(disagreement);
            while (recent.size() > KEPT) {
                recent.removeLast();
            }
        }
        counted.accept(rule);
        LOG.info("shadow rules disagree on {} {} (request {}): in force {}, shadow {}: {}", disagreement.event(),
                disagreement.subject(), envelope.requestId(), disagreement.inForce(), disagreement.shadow(), differences);
    }

    static List<String> differences(Decision inForce, Decision shadow) {
        List<String> differences = new ArrayList<>();
        if (shadow == null) {
            differences.add("the shadow rules failed to decide");
            return differences;
        }
        if (inForce.accepted() != shadow.accepted()) {
            differences.add((inForce.accepted() ? "accepted" : "rejected") + " -> " + (shadow.accepted() ? "accepted" : "rejected"));
        }
        if (!Objects.equals(inForce.code(), shadow.code())) {
            differences.add("reason " + inForce.code() + " -> " + shadow.code());
        }
        List<String> before = inForce.transitions().stream().map(Transition::toString).toList();
        List<String> after = shadow.transitions().stream().map(Transition::toString).toList();
        if (!before.equals(after)) {
            differences.add("transitions " + before + " -> " + after);
        }
        List<String> commandsBefore = inForce.commands().stream().map(Command::toString).toList();
        List<String> commandsAfter = shadow.commands().stream().map(Command::toString).toList();
        if (!commandsBefore.equals(commandsAfter)) {
            differences.add("commands " + commandsBefore + " -> " + commandsAfter);
        }
        return differences;
    }

    private static String summary(Decision decision) {
        return (decision.accepted() ? "accepted" : "rejected " + decision.code()) + " by \"" + decision.rule() + "\"";
    }

    public synchronized Report report() {
        return new Report(candidate.shownDirectory(), candidate.generation(), compared.get(), skipped.get(),
                disagreements.get(), new TreeMap<>(byRule), List.copyOf(recent), candidate.lastRefusal().orElse(null));
    }

    @Override
    public void close() {
        worker.shutdownNow();
        candidate.close();
    }
}
