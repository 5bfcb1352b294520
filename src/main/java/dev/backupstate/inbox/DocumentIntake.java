package dev.backupstate.inbox;

import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import dev.backupstate.observe.DomainMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The file and broker inboxes take a document the same way: read it as text, parse it, and have the
 * loop decide it as its {@code metadata.user}. A document without a request id gets one its inbox
 * derives from what is stable on redelivery, so a redelivered document still acts once.
 */
public final class DocumentIntake {

    /** Reason of the outcome given to a document that could not be read. */
    public static final String INVALID_DOCUMENT = "INVALID_DOCUMENT";

    private final DecisionLoop loop;
    private final DomainMetrics metrics;
    private final Clock clock;

    public DocumentIntake(DecisionLoop loop, DomainMetrics metrics, Clock clock) {
        this.loop = loop;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The document's outcome; one that cannot be read gets an INVALID_DOCUMENT outcome and changes nothing. */
    public Outcome take(byte[] content, Source source, String fallbackRequestId) {
        try {
            OperationDocument document = OperationDocuments.parse(text(content));
            String requestId = document.requestId() != null ? document.requestId() : fallbackRequestId;
            String user = document.user() != null && !document.user().isEmpty() ? document.user() : "(none)";
            return loop.submit(new Envelope(requestId, user, source, clock.instant(), document.event()));
        } catch (InvalidDocumentException e) {
            metrics.unreadable(source);
            return new Outcome(null, false, INVALID_DOCUMENT, e.getMessage(), null, List.of());
        }
    }

    public static boolean isInvalidDocument(Outcome outcome) {
        return INVALID_DOCUMENT.equals(outcome.reason()) && outcome.requestId() == null;
    }

    /** A request id from the content itself: the same bytes sent twice are one request. */
    public static String contentId(String prefix, byte[] content) {
        try {
            return prefix + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The document's text; content that is not UTF-8 text is refused as such. */
    private static String text(byte[] content) {
        if (content == null || content.length == 0) {
            throw new InvalidDocumentException(null, "the document is empty");
        }
        for (byte b : content) {
            if (b == 0) {
                throw new InvalidDocumentException(null, "not a YAML or JSON document: the content is binary");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDocumentException(null, "not a YAML or JSON document: the content is not UTF-8 text");
        }
    }
}
