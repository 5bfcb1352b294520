package dev.backupstate.inbox;

import dev.backupstate.cluster.KubeconfigPolicy;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.InvalidFieldException;
import dev.backupstate.model.Request;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import dev.backupstate.observe.DomainMetrics;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The one door of every inbox (REST, file drop, broker): read the document strictly, take the actor
 * from the channel (the token's user, the inbox folder, the broker's authenticated user), never from
 * the document, and have the loop decide it. A document's {@code metadata.user}, where given, must
 * name that same user. A document without a request id gets one its inbox derives from what is
 * stable on redelivery, so a redelivered document still acts once.
 */
public final class DocumentIntake {

    /** Reason of the outcome given to a document that could not be read. */
    public static final String INVALID_DOCUMENT = "INVALID_DOCUMENT";
    /** Reason of the outcome given to a document whose channel named no user. */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";

    private final DecisionLoop loop;
    private final DomainMetrics metrics;
    private final Clock clock;
    private final DocumentReader reader;
    private final KubeconfigPolicy kubeconfigs;

    public DocumentIntake(DecisionLoop loop, DomainMetrics metrics, Clock clock, DocumentReader reader,
                          KubeconfigPolicy kubeconfigs) {
        this.loop = loop;
        this.metrics = metrics;
        this.clock = clock;
        this.reader = reader;
        this.kubeconfigs = kubeconfigs;
    }

    /**
     * The outcome of a document from a file or a message; one that cannot be read, or that comes
     * without a user, gets an outcome naming the problem and changes nothing.
     */
    public Outcome take(byte[] content, Source source, String actor, String fallbackRequestId) {
        if (actor == null || actor.isEmpty()) {
            metrics.unreadable(source);
            return new Outcome(null, false, UNAUTHENTICATED, "the " + channel(source)
                    + " named no user: nothing was read or changed", null, List.of());
        }
        try {
            return decide(read(content), source, actor, fallbackRequestId);
        } catch (InvalidDocumentException e) {
            metrics.unreadable(source);
            return new Outcome(null, false, INVALID_DOCUMENT, e.getMessage(), null, List.of());
        }
    }

    /** Reads a document; throws {@link InvalidDocumentException} (or its too-large kind) naming the problem. */
    public OperationDocument read(byte[] content) {
        OperationDocument document = OperationDocuments.parse(reader.read(content));
        try {
            // a kubeconfig that would run a command or read a file never gets past the door
            if (document.event() instanceof Request.AddCluster add) {
                kubeconfigs.checkReference(add.kubeconfig(), "spec.kubeconfig");
            } else if (document.event() instanceof Request.CreateDiscoveryConfig config) {
                kubeconfigs.checkReference(config.kubeconfig(), "spec.kubeconfig");
            }
        } catch (InvalidFieldException e) {
            throw new InvalidDocumentException(e.field(), e.getMessage().substring(e.field().length() + 2), e);
        }
        return document;
    }

    /** Decides a read document as {@code actor}, whom the channel identified. */
    public Outcome decide(OperationDocument document, Source source, String actor, String fallbackRequestId) {
        if (document.user() != null && !document.user().equals(actor)) {
            throw new InvalidDocumentException("metadata.user", "'" + document.user() + "' is not the user of this "
                    + channel(source) + " (" + actor + "); leave metadata.user out or name yourself");
        }
        String requestId = document.requestId() != null ? document.requestId() : fallbackRequestId;
        return loop.submit(new Envelope(requestId, actor, source, clock.instant(), document.event()));
    }

    /**
     * A dry run (issue 13): the document decided as {@code actor} on the current catalog by the rules in
     * force, nothing committed, no command carried out, no request id used up.
     */
    public dev.backupstate.model.Decision tryOut(OperationDocument document, Source source, String actor, String fallbackRequestId) {
        if (document.user() != null && !document.user().equals(actor)) {
            throw new InvalidDocumentException("metadata.user", "'" + document.user() + "' is not the user of this "
                    + channel(source) + " (" + actor + "); leave metadata.user out or name yourself");
        }
        String requestId = document.requestId() != null ? document.requestId() : fallbackRequestId;
        dev.backupstate.model.Decision decision = loop.dryRun(new Envelope(requestId, actor, source, clock.instant(), document.event()));
        metrics.dryRun(document.event().operation(), decision.accepted());
        return decision;
    }

    /** The size limit every inbox shares (bse.documents.max-bytes). */
    public int maxBytes() {
        return reader.maxBytes();
    }

    public void unreadable(Source source) {
        metrics.unreadable(source);
    }

    public static boolean isInvalidDocument(Outcome outcome) {
        return outcome.requestId() == null && (INVALID_DOCUMENT.equals(outcome.reason()) || UNAUTHENTICATED.equals(outcome.reason()));
    }

    /** A request id from the content itself: the same bytes sent twice are one request. */
    public static String contentId(String prefix, byte[] content) {
        try {
            return prefix + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static String channel(Source source) {
        return switch (source) {
            case REST -> "bearer token";
            case FILE -> "inbox folder";
            case BROKER -> "broker connection";
            default -> source.name().toLowerCase(java.util.Locale.ROOT) + " channel";
        };
    }
}
