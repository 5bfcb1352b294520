package dev.backupstate.engine;

import dev.backupstate.model.Command;
import dev.backupstate.model.CredentialGrant;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.store.Committed;
import dev.backupstate.store.Store;
import dev.backupstate.store.Decided;
import dev.backupstate.store.DuplicateRequestException;
import dev.backupstate.store.EarlierRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The loop of DESIGN.md: event in, facts loaded, rules decide, transitions + audit + request key +
 * commands committed in one transaction, outcome out. Decisions are made one at a time, each on the
 * state the previous one left, so no two decide on the same state; a request id already decided gets
 * its first outcome and acts once.
 *
 * <p>Group commit: requests that arrive while a commit is under way queue up, and the next writer
 * decides all of them and commits them in one transaction, so a busy engine pays one commit for many
 * decisions rather than one each. The in-memory catalog is updated as each decision is made (the next
 * one in the group must see it); if the group's commit fails, the catalog is reloaded from the store,
 * which stays the truth, and every request of the group gets the error (inboxes retry or report it).
 */
public final class DecisionLoop {

    private static final int MAX_GROUP = 256;

    private final Store store;
    private final RuleBook rules;
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final FactLoader loader;
    private final ReentrantLock writer = new ReentrantLock();
    private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
    /** Written and read under the writer lock only. */
    private boolean catalogStale;
    private final List<DecisionListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final DecisionListener listener = (envelope, outcome, repeated) -> listeners.forEach(each -> each.decided(envelope, outcome, repeated));

    private record Waiting(Envelope envelope, CompletableFuture<Committed> result) {
    }

    /** Loads the catalog from the store. */
    public DecisionLoop(Store store, RuleBook rules, Mode mode) {
        this(store, rules, mode, CredentialGrant::adminsOnly);
    }

    /** {@code grants}: the configured credentials' grants, which the rules read when a location is created. */
    public DecisionLoop(Store store, RuleBook rules, Mode mode, java.util.function.Function<String, CredentialGrant> grants) {
        this(store, rules, mode, grants, dev.backupstate.model.Quotas.NONE);
    }

    /** {@code quotas}: how many schedules, backups and restores each user may hold (bse.limits.*-per-user). */
    public DecisionLoop(Store store, RuleBook rules, Mode mode, java.util.function.Function<String, CredentialGrant> grants,
                        dev.backupstate.model.Quotas quotas) {
        this.store = store;
        this.rules = rules;
        catalog.putAll(store.resources());
        this.loader = new FactLoader(catalog, mode, grants, quotas);
    }

    public Outcome submit(Envelope envelope) {
        Optional<EarlierRequest> earlier = store.earlier(envelope.user(), envelope.requestId());
        if (earlier.isPresent()) {
            Outcome answer = earlier.get().answer(envelope);
            listener.decided(envelope, answer, true);
            return answer;
        }
        store.fence().refuseUnlessLeading();
        Waiting mine = new Waiting(envelope, new CompletableFuture<>());
        queue.add(mine);
        writer.lock();
        try {
            if (!mine.result().isDone()) {
                decideQueued();
            }
        } finally {
            writer.unlock();
        }
        Committed committed;
        try {
            committed = mine.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        listener.decided(envelope, committed.outcome(), !committed.acted());
        return committed.outcome();
    }

    /** Decides every queued request in arrival order and commits them together. Holds the writer lock. */
    private void decideQueued() {
        try {
            reloadIfStale();
        } catch (RuntimeException e) {
            for (Waiting waiting = queue.poll(); waiting != null; waiting = queue.poll()) {
                waiting.result().completeExceptionally(e);
            }
            return;
        }
        List<Waiting> group = new ArrayList<>();
        List<Decided> decided = new ArrayList<>();
        Map<String, Waiting> firstOfId = new HashMap<>();
        List<Waiting> repeats = new ArrayList<>();
        for (Waiting next = queue.poll(); next != null; next = group.size() < MAX_GROUP ? queue.poll() : null) {
            if (firstOfId.putIfAbsent(key(next.envelope()), next) != null) {
                repeats.add(next);
                continue;
            }
            Decision decision;
            try {
                decision = decide(next.envelope());
            } catch (RuntimeException e) {
                next.result().completeExceptionally(e);
                continue;
            }
            group.add(next);
            if (decision.accepted()) {
                catalog.apply(decision);
            }
            decided.add(new Decided(next.envelope(), decision));
        }
        if (group.isEmpty()) {
            completeRepeats(repeats, firstOfId);
            return;
        }
        try {
            List<Outcome> outcomes = store.commitAll(decided);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(new Committed(outcomes.get(i), true));
            }
        } catch (DuplicateRequestException e) {
            // another instance stored one of these ids meanwhile: decide them again, one commit each
            catalogStale = true;
            for (Waiting waiting : group) {
                try {
                    reloadIfStale();
                    waiting.result().complete(decideAlone(waiting.envelope()));
                } catch (RuntimeException failure) {
                    waiting.result().completeExceptionally(failure);
                }
            }
        } catch (RuntimeException e) {
            catalogStale = true;
            group.forEach(waiting -> waiting.result().completeExceptionally(e));
        }
        completeRepeats(repeats, firstOfId);
    }

    /** Request ids are scoped to their user: alice's "r1" is not bob's. */
    private static String key(Envelope envelope) {
        return envelope.user() + "\u0000" + envelope.requestId();
    }

    /** The same id twice in one group: the second gets the first's outcome, as if it came later. */
    private static void completeRepeats(List<Waiting> repeats, Map<String, Waiting> firstOfId) {
        for (Waiting repeat : repeats) {
            Waiting first = firstOfId.get(key(repeat.envelope()));
            first.result().whenComplete((committed, failure) -> {
                if (failure != null) {
                    repeat.result().completeExceptionally(failure);
                } else {
                    EarlierRequest earlier = new EarlierRequest(committed.outcome(), first.envelope().fingerprint(),
                            first.envelope().event().operation(), first.envelope().event().subject().toString(),
                            first.envelope().receivedAt());
                    repeat.result().complete(new Committed(earlier.answer(repeat.envelope()), false));
                }
            });
        }
    }

    /**
     * The catalog read from the store again, now: when this engine takes the lead (another leader
     * decided meanwhile), and on a follower on its refresh period, so that its reads stay current.
     */
    public void refresh() {
        writer.lock();
        try {
            catalog.replaceAll(store.resources());
            catalogStale = false;
        } finally {
            writer.unlock();
        }
    }

    /** After a failed commit the catalog may hold decisions the store does not: take the store's again. */
    private void reloadIfStale() {
        if (catalogStale) {
            catalog.replaceAll(store.resources());
            catalogStale = false;
        }
    }

    /**
     * What the rules would decide about this envelope now, on the catalog as it is, with the commands
     * that would follow: nothing is applied and no request id is used up (a dry run). It takes no lock:
     * a flood of dry runs never holds up a decision (issue 21); the catalog's maps are read concurrently,
     * so a dry run made while a decision is applied may see part of it, which a dry run may. It is
     * audited as a dry run (linked to its subject), never as a decision.
     */
    public Decision dryRun(Envelope envelope) {
        Decision decision = decide(envelope, false);
        store.auditDryRun(envelope, decision);
        return decision;
    }

    /**
     * The rules' decision, its commands completed with what their effects need: the resources as this
     * decision leaves them (its own transitions), else as the catalog it was made on has them.
     */
    private Decision decide(Envelope envelope) {
        return decide(envelope, true);
    }

    private Decision decide(Envelope envelope, boolean shadowed) {
        List<Object> facts = loader.factsFor(envelope);
        Decision decision = rules.evaluate(facts).withFacts(facts);
        dev.backupstate.rules.ShadowRules candidate = shadow;
        if (shadowed && candidate != null) {
            candidate.offer(envelope, facts, decision);
        }
        decision = Identities.stamp(envelope, decision, catalog, subjectUid(envelope, facts));
        if (!decision.accepted()) {
            return decision;
        }
        Map<ResourceRef, dev.backupstate.model.Transition> changed = new HashMap<>();
        decision.transitions().forEach(transition -> changed.put(transition.ref(), transition));
        return decision.completed(new dev.backupstate.model.Command.Lookup() {
            @Override
            public java.util.Optional<dev.backupstate.model.Resource> find(ResourceRef ref) {
                dev.backupstate.model.Transition transition = changed.get(ref);
                return transition != null ? java.util.Optional.ofNullable(transition.after()) : catalog.find(ref);
            }

            @Override
            public List<String> names(dev.backupstate.model.ResourceKind kind) {
                return catalog.all(kind).stream().map(dev.backupstate.model.Resource::name).toList();
            }
        });
    }

    /** The uid of the event's subject as it is now, if the one asking may see it. */
    private String subjectUid(Envelope envelope, List<Object> facts) {
        dev.backupstate.model.Actor actor = facts.stream().filter(dev.backupstate.model.Actor.class::isInstance)
                .map(dev.backupstate.model.Actor.class::cast).findFirst().orElse(null);
        ResourceRef subject = envelope.event().subject();
        if (actor == null || !loader.visibleTo(actor, subject)) {
            return null;
        }
        return catalog.find(subject).map(dev.backupstate.model.Resource::uid).orElse(null);
    }

    private Committed decideAlone(Envelope envelope) {
        Decision decision = decide(envelope);
        Committed committed = store.commit(envelope, decision);
        if (committed.acted()) {
            catalog.apply(decision);
        }
        return committed;
    }

    private volatile dev.backupstate.rules.ShadowRules shadow;

    /** Candidate rules decided beside those in force on every event, never acting (bse.rules.shadow-directory). */
    public void shadow(dev.backupstate.rules.ShadowRules candidate) {
        this.shadow = candidate;
    }

    public Optional<dev.backupstate.rules.ShadowRules> shadow() {
        return Optional.ofNullable(shadow);
    }

    /** Adds one told of each answered request (metrics, the broker's door); set before requests arrive. */
    public void listen(DecisionListener listener) {
        listeners.add(listener);
    }

    /** The catalog as the engine decides on it, read-only: only this loop changes it. */
    public Catalog catalog() {
        return catalog;
    }

    /** The store, for reading outcomes and the audit trail. */
    public Store store() {
        return store;
    }

    /** Commands committed and not yet carried out. */
    public List<Command> pendingCommands(int limit) {
        return store.pendingCommands(limit).stream().map(pending -> pending.command()).toList();
    }
}
