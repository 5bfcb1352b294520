package dev.backupstate.effects;

import dev.backupstate.store.PendingCommand;
import dev.backupstate.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.Exchange;

/**
 * What routes/outbox.camel.yaml calls: the committed commands not yet carried out, oldest first, and
 * the mark that one was. A command is marked only after its effect route returned, so an engine that
 * dies in between carries it out again after the restart: effects are written to be repeatable
 * (they name what they create after the command's target).
 */
public final class Outbox {

    /** Header naming the command type, for the effect routes to choose on. */
    public static final String COMMAND_TYPE = "bseCommandType";
    public static final String COMMAND_ID = "bseCommandId";
    public static final String DESCRIPTION = "bseCommand";
    private static final String KEPT_ARGS = "bseKeptArgs";

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final Store store;
    private final int batch;
    private final Clock clock;
    private final Duration lastRetry;

    public Outbox(Store store, int batch) {
        this(store, batch, Clock.systemUTC(), Duration.ofMinutes(1));
    }

    /** {@code lastRetry}: the longest back-off (a command waiting on a cluster is tried again at least this often). */
    public Outbox(Store store, int batch, Clock clock, Duration lastRetry) {
        this.store = store;
        this.batch = batch;
        this.clock = clock;
        this.lastRetry = lastRetry;
    }

    /**
     * The commands to carry out now: those that failed wait out their back-off, which is kept in the
     * outbox row (attempts, next attempt), so a new leader keeps it too.
     */
    public List<PendingCommand> pending() {
        return store.pendingCommands(batch, clock.instant());
    }

    /**
     * A command whose effect failed stays in the outbox; it is tried again after a back-off that doubles
     * from one second to a minute, so a cluster that is down for an hour costs one line a minute.
     */
    public void failed(Exchange exchange) {
        long id = exchange.getMessage().getHeader(COMMAND_ID, Long.class);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = failure == null ? "unknown failure" : failure.getMessage();
        int attempts = store.commandFailed(id, this::backOff, why);
        LOG.warn("command {} not carried out (attempt {}): {}; tried again in {} s", exchange.getMessage().getHeader(DESCRIPTION),
                attempts, why, backOff(attempts).toSeconds());
    }

    /** One second after the first failure, doubling to the longest back-off (a minute by default). */
    Duration backOff(int attempts) {
        return min(FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10)), lastRetry);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sets the headers the effect routes read, and a description safe to log. */
    public void describe(Exchange exchange) {
        PendingCommand pending = exchange.getMessage().getBody(PendingCommand.class);
        exchange.getMessage().setHeader(COMMAND_TYPE, pending.command().type().name());
        exchange.getMessage().setHeader(COMMAND_ID, pending.id());
        exchange.getMessage().setHeader(DESCRIPTION, describe(pending));
        exchange.setProperty(KEPT_ARGS, kept(pending));
    }

    /** The command as it stays in the outbox once carried out (no kubeconfig), or null when it stays as it is. */
    static dev.backupstate.model.Command kept(PendingCommand pending) {
        dev.backupstate.model.Command kept = pending.command().carriedOut();
        return kept == pending.command() ? null : kept;
    }

    /** "RUN_BACKUP backups/b1 cluster=c1 (request r1)", with kubeconfigs and credentials left out. */
    static String describe(PendingCommand pending) {
        return dev.backupstate.model.Command.text(pending.command()) + " (request " + pending.requestId() + ")";
    }

    public void carriedOut(Exchange exchange) {
        long id = exchange.getMessage().getHeader(COMMAND_ID, Long.class);
        dev.backupstate.model.Command kept = exchange.getProperty(KEPT_ARGS, dev.backupstate.model.Command.class);
        store.markDispatched(id, kept);
    }
}
