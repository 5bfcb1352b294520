package dev.backupstate.rules;

import dev.backupstate.model.Decision;
import dev.backupstate.model.Reason;
import org.kie.api.runtime.rule.ConsequenceException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.kie.api.runtime.KieSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force, compiled from a directory of DRL files, and the one way to ask them for a
 * decision. A reload compiles off to the side and swaps the new generation in atomically: every
 * evaluation runs entirely on the generation it started with. A directory that does not compile is
 * refused; the generation in force keeps deciding, and the refusal is kept for whoever asks.
 */
public final class RuleBook implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleBook.class);
    private static final int REPORTS_KEPT = 20;
    /**
     * Firings allowed per fact on top of the fixed cap. A sync that imports twenty thousand backups
     * legitimately fires twenty thousand times; a runaway rule fires without end, so a bound that grows
     * with the input still catches it.
     */
    static final int FIRINGS_PER_FACT = 10;

    private final Path directory;
    private final int maxFirings;
    private final Clock clock;
    private final RuleCompiler compiler = new RuleCompiler();
    private final AtomicReference<RuleBase> inForce = new AtomicReference<>();
    private final AtomicLong generations = new AtomicLong();
    private final Deque<ReloadReport> reports = new ArrayDeque<>();
    private final AtomicLong refusedReloads = new AtomicLong();
    private final java.util.concurrent.ConcurrentMap<String, java.util.concurrent.atomic.LongAdder> ruleErrors =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<RuleError> lastRuleError = new AtomicReference<>();
    private boolean closed;

    private RuleBook(Path directory, int maxFirings, Clock clock) {
        if (maxFirings < 1) {
            throw new IllegalArgumentException("maxFirings must be at least 1, was " + maxFirings);
        }
        this.directory = directory;
        this.maxFirings = maxFirings;
        this.clock = clock;
    }

    /** Compiles the directory; throws {@link RuleCompilationException} when the first load fails. */
    public static RuleBook load(Path directory, int maxFirings, Clock clock) {
        RuleBook book = new RuleBook(directory, maxFirings, clock);
        ReloadReport first = book.reload();
        if (!first.accepted()) {
            throw new RuleCompilationException(first.problems());
        }
        return book;
    }

    public static RuleBook load(Path directory) {
        return load(directory, 10_000, Clock.systemUTC());
    }

    public Path directory() {
        return directory;
    }

    /**
     * The directory as answers name it: its own name only ("rules", "rules-next"), never the server's
     * path to it, which tells a caller about the host and is nobody's business but the operator's.
     */
    public String shownDirectory() {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return name == null ? "/" : name.toString();
    }

    /**
     * Decides one event given the facts that matter to it (the event itself among them).
     *
     * @throws RunawayRulesException when the rules fire {@code maxFirings} plus ten times the number of
     *     facts without settling
     */
    public Decision evaluate(Collection<?> facts) {
        RuleBase base = enterInForce();
        try {
            KieSession session = base.newSession();
            DecisionCollector collector = new DecisionCollector();
            collector.attach(session);
            try {
                int fired;
                try {
                    for (Object fact : facts) {
                        session.insert(fact);
                    }
                    int cap = maxFirings + FIRINGS_PER_FACT * facts.size();
                    fired = session.fireAllRules(cap);
                    if (fired >= cap) {
                        throw new RunawayRulesException("rules fired " + fired + " times without settling (cap "
                                + cap + " for " + facts.size() + " facts); busiest: " + collector.busiestRules());
                    }
                } catch (ConsequenceException e) {
                    return failed(base, e.getMatch().getRule().getName(), e.getCause() == null ? e : e.getCause());
                } catch (RunawayRulesException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // a condition that throws (a null in a constraint): Drools names no match; the rule is in the message
                    return failed(base, ruleNamedIn(base, e), e);
                }
                Decision decided = collector.decision();
                for (Decision.Ruling refusal : decided.refusals()) {
                    if (!base.reasons().knows(refusal.code())) {
                        return failed(base, refusal.rule(), new IllegalArgumentException("reason code '" + refusal.code()
                                + "' is not declared in " + ReasonCodes.FILE));
                    }
                }
                return decided.withGeneration(base.generation());
            } finally {
                collector.detach(session);
                session.dispose();
            }
        } finally {
            base.leave();
        }
    }

    /**
     * What the rules infer from these facts, of one type, with nothing decided: the API asks the rules
     * which clusters are eligible for a location rather than say it again in Java. A rule that throws here
     * answers nothing (the events it would decide are refused with RULE_ERROR as usual).
     */
    public <T> List<T> derive(Collection<?> facts, Class<T> type) {
        RuleBase base = enterInForce();
        try {
            KieSession session = base.newSession();
            try {
                for (Object fact : facts) {
                    session.insert(fact);
                }
                session.fireAllRules(maxFirings + FIRINGS_PER_FACT * facts.size());
                List<T> derived = new java.util.ArrayList<>();
                for (Object fact : session.getObjects(type::isInstance)) {
                    derived.add(type.cast(fact));
                }
                return derived;
            } catch (RuntimeException e) {
                LOG.warn("the rules failed while inferring {}: {}", type.getSimpleName(), e.toString());
                return List.of();
            } finally {
                session.dispose();
            }
        } finally {
            base.leave();
        }
    }

    /**
     * A rule that threw while deciding: the event is refused with RULE_ERROR naming the rule, its file
     * and line and the exception's message, audited like any refusal; counted per rule.
     */
    private Decision failed(RuleBase base, String rule, Throwable cause) {
        Optional<RuleSource> source = rule == null ? Optional.empty() : base.source(rule);
        String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        RuleError error = new RuleError(rule == null ? "(unknown rule)" : rule, source.map(RuleSource::file).orElse(null),
                source.map(RuleSource::line).orElse(0), message, clock.instant());
        ruleErrors.computeIfAbsent(error.rule(), name -> new java.util.concurrent.atomic.LongAdder()).increment();
        lastRuleError.set(error);
        LOG.error("{} (generation {}); the event is refused with RULE_ERROR", error.describe(), base.generation(), cause);
        return new Decision(false, Reason.RULE_ERROR, error.rule(), error.describe(),
                List.of(new Decision.Ruling(error.rule(), Reason.RULE_ERROR, error.describe())), List.of(), List.of(), List.of(),
                List.of(error.rule()), base.generation(), List.of(), null);
    }

    private static String ruleNamedIn(RuleBase base, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String text = String.valueOf(cause.getMessage());
            for (RuleSource source : base.sources()) {
                if (text.contains("\"" + source.rule() + "\"") || text.contains("rule: " + source.rule())
                        || text.contains("[" + source.rule() + "]")) {
                    return source.rule();
                }
            }
        }
        return null;
    }

    /** What is in force, where it is written, what was refused and what threw: GET /api/v1/rules, `bse rules status`. */
    public RulesInForce status() {
        RuleBase base = enterInForce();
        try {
            java.util.Map<String, Long> errors = new java.util.TreeMap<>();
            ruleErrors.forEach((rule, count) -> errors.put(rule, count.sum()));
            return new RulesInForce(base.generation(), base.hash(), base.loadedAt(), shownDirectory(),
                    List.copyOf(new java.util.TreeSet<>(base.fileDigests().keySet())), base.sources(),
                    lastRefusal().orElse(null), refusedReloads.get(), errors, lastRuleError.get(), base.reasons().declared());
        } finally {
            base.leave();
        }
    }

    /** The REST answer a refusal with this reason code gets: a declared code's status, else 409. */
    public int httpStatus(String code) {
        RuleBase base = enterInForce();
        try {
            return base.reasons().http(code);
        } finally {
            base.leave();
        }
    }

    /** How many reloads were refused since start (bse_rules_reload_refused_total). */
    public long refusedReloads() {
        return refusedReloads.get();
    }

    /** How many times each rule threw while deciding (bse_rules_errors_total). */
    public java.util.Map<String, Long> ruleErrors() {
        java.util.Map<String, Long> errors = new java.util.TreeMap<>();
        ruleErrors.forEach((rule, count) -> errors.put(rule, count.sum()));
        return errors;
    }

    /**
     * Reads and compiles the directory now. Unchanged files are not recompiled. Safe to call from
     * several threads: reloads are serialised, evaluations never wait for one.
     */
    public synchronized ReloadReport reload() {
        if (closed) {
            throw new IllegalStateException("the rule book is closed");
        }
        long started = System.nanoTime();
        long generation = generations.get() + 1;
        Map<String, byte[]> files;
        try {
            files = compiler.read(directory);
        } catch (RuleCompilationException e) {
            return record(refused(e, List.of(), started));
        }
        RuleBase current = inForce.get();
        if (current != null && current.fileDigests().equals(RuleCompiler.digests(files))) {
            // The directory is back to what is in force (say, a broken file was removed): say so.
            return record(new ReloadReport(current.generation(), clock.instant(), true, RuleCompiler.names(files),
                    List.of(), 0, 0));
        }
        RuleBase compiled;
        try {
            compiled = compiler.compile(files, generation, clock.instant());
        } catch (RuleCompilationException e) {
            return record(refused(e, RuleCompiler.names(files), started));
        } catch (RuntimeException e) {
            // Drools sometimes fails inside the compiler rather than reporting: still a refusal, never a crash.
            return record(refused(new RuleCompilationException(List.of(new RuleProblem("(rules)", 0,
                    "the compiler failed: " + e))), RuleCompiler.names(files), started));
        }
        long compileMillis = (System.nanoTime() - started) / 1_000_000;
        long swapStarted = System.nanoTime();
        generations.set(generation);
        RuleBase replaced = inForce.getAndSet(compiled);
        if (replaced != null) {
            replaced.retire();
        }
        long swapMicros = (System.nanoTime() - swapStarted) / 1_000;
        ReloadReport report = new ReloadReport(generation, clock.instant(), true, RuleCompiler.names(files),
                List.of(), compileMillis, swapMicros);
        LOG.info("{}", report);
        return record(report);
    }

    /** The generation in force: 1 after the first load, one more for each accepted change. */
    public long generation() {
        RuleBase base = inForce.get();
        return base == null ? 0 : base.generation();
    }

    /** The names of the rules in force, sorted. */
    public List<String> ruleNames() {
        RuleBase base = enterInForce();
        try {
            return base.ruleNames();
        } finally {
            base.leave();
        }
    }

    /** The most recent reload attempts, newest first. */
    public synchronized List<ReloadReport> reports() {
        return List.copyOf(reports);
    }

    /** The most recent attempt, if it was refused: what ops staff need to see after a bad edit. */
    public synchronized Optional<ReloadReport> lastRefusal() {
        ReloadReport last = reports.peekFirst();
        return last == null || last.accepted() ? Optional.empty() : Optional.of(last);
    }

    @Override
    public synchronized void close() {
        closed = true;
        RuleBase base = inForce.getAndSet(null);
        if (base != null) {
            base.retire();
        }
    }

    private RuleBase enterInForce() {
        while (true) {
            RuleBase base = inForce.get();
            if (base == null) {
                throw new IllegalStateException("the rule book is closed");
            }
            if (base.enter()) {
                return base;
            }
        }
    }

    private ReloadReport refused(RuleCompilationException e, List<String> files, long started) {
        ReloadReport report = new ReloadReport(generation(), clock.instant(), false, files, e.problems(),
                (System.nanoTime() - started) / 1_000_000, 0);
        refusedReloads.incrementAndGet();
        LOG.error("{}", report);
        return report;
    }

    private final List<java.util.function.Consumer<ReloadReport>> reloadListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told of every reload attempt, accepted or refused (the notifications are told of refusals); must not block. */
    public void onReload(java.util.function.Consumer<ReloadReport> listener) {
        reloadListeners.add(listener);
    }

    private ReloadReport record(ReloadReport report) {
        for (java.util.function.Consumer<ReloadReport> listener : reloadListeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                LOG.warn("a reload listener failed: {}", e.toString());
            }
        }
        reports.addFirst(report);
        while (reports.size() > REPORTS_KEPT) {
            reports.removeLast();
        }
        return report;
    }
}
