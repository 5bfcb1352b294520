package dev.backupstate.engine;

import dev.backupstate.model.Command;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Outcome;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.store.Committed;
import dev.backupstate.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The loop of DESIGN.md: event in, facts loaded, rules decide, transitions + audit + request key +
 * commands committed in one transaction, outcome out. The store is the truth; the in-memory catalog
 * is its copy for fact loading, updated only after a commit. Decisions are made one at a time, so no
 * two decide on the same state; a request id already decided gets its first outcome and acts once.
 */
public final class DecisionLoop {

    private final Store store;
    private final RuleBook rules;
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final FactLoader loader;
    private final ReentrantLock writer = new ReentrantLock();
    private volatile DecisionListener listener = (envelope, outcome, repeated) -> { };

    /** Loads the catalog from the store. */
    public DecisionLoop(Store store, RuleBook rules, Mode mode) {
        this.store = store;
        this.rules = rules;
        catalog.putAll(store.resources());
        this.loader = new FactLoader(catalog, mode);
    }

    /** Decides one event and returns its outcome, the first one if its request id was decided before. */
    public Outcome submit(Envelope envelope) {
        Optional<Outcome> earlier = store.outcome(envelope.requestId());
        if (earlier.isPresent()) {
            listener.decided(envelope, earlier.get(), true);
            return earlier.get();
        }
        Committed committed;
        writer.lock();
        try {
            Decision decision = rules.evaluate(loader.factsFor(envelope));
            committed = store.commit(envelope, decision);
            if (committed.acted()) {
                catalog.apply(decision);
            }
        } finally {
            writer.unlock();
        }
        listener.decided(envelope, committed.outcome(), !committed.acted());
        return committed.outcome();
    }

    /** Who is told of each answered request (metrics); one listener, set before requests arrive. */
    public void listen(DecisionListener listener) {
        this.listener = listener;
    }

    /** The catalog as the engine decides on it; for reading only. */
    public InMemoryCatalog catalog() {
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
