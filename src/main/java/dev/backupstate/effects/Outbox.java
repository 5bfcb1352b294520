package dev.backupstate.effects;

import dev.backupstate.store.PendingCommand;
import dev.backupstate.store.Store;
import java.util.List;
import java.util.regex.Pattern;
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
    private static final Pattern SECRET = Pattern.compile("(?i)kubeconfig|credential|secret|password|token|key");

    private final Store store;
    private final int batch;

    public Outbox(Store store, int batch) {
        this.store = store;
        this.batch = batch;
    }

    public List<PendingCommand> pending() {
        return store.pendingCommands(batch);
    }

    /** Sets the headers the effect routes read, and a description safe to log. */
    public void describe(Exchange exchange) {
        PendingCommand pending = exchange.getMessage().getBody(PendingCommand.class);
        exchange.getMessage().setHeader(COMMAND_TYPE, pending.command().type().name());
        exchange.getMessage().setHeader(COMMAND_ID, pending.id());
        exchange.getMessage().setHeader(DESCRIPTION, describe(pending));
    }

    /** "RUN_BACKUP backups/b1 cluster=c1 (request r1)", with kubeconfigs and credentials left out. */
    static String describe(PendingCommand pending) {
        StringBuilder text = new StringBuilder(pending.command().type().name()).append(' ').append(pending.command().target());
        pending.command().args().forEach((name, value) -> text.append(' ').append(name).append('=')
                .append(SECRET.matcher(name).find() ? "(not logged)" : value));
        return text.append(" (request ").append(pending.requestId()).append(')').toString();
    }

    public void carriedOut(Exchange exchange) {
        store.markDispatched(exchange.getMessage().getHeader(COMMAND_ID, Long.class));
    }
}
