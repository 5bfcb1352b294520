package dev.backupstate.inbox;

import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What the file-drop route calls for each file: reads the operation document, has the loop decide
 * it, and leaves the outcome as the message body with the outcome file's name. A document that
 * cannot be read gets an outcome naming the problem, and the route then moves it to .failed.
 */
public final class FileInbox {

    /** Exchange property set when the file was not a readable document. */
    public static final String MALFORMED = "bse.malformed";
    private static final String OUTCOME_SUFFIX = ".outcome.json";

    private final DecisionLoop loop;
    private final Clock clock;

    public FileInbox(DecisionLoop loop, Clock clock) {
        this.loop = loop;
        this.clock = clock;
    }

    public void handle(Exchange exchange) {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Outcome outcome;
        try {
            OperationDocument document = OperationDocuments.parse(text(content));
            String requestId = document.requestId() != null ? document.requestId() : "file:" + sha256(content);
            String user = document.user() != null ? document.user() : "";
            outcome = loop.submit(new Envelope(requestId, user.isEmpty() ? "(none)" : user, Source.FILE,
                    clock.instant(), document.event()));
        } catch (InvalidDocumentException e) {
            outcome = new Outcome(null, false, "INVALID_DOCUMENT", e.getMessage(), null, List.of());
            exchange.setProperty(MALFORMED, e.getMessage());
        }
        exchange.getMessage().setBody(Json.toJson(outcome));
        exchange.getMessage().setHeader(Exchange.FILE_NAME, fileName + OUTCOME_SUFFIX);
    }

    /** After the outcome is written: a malformed file fails its exchange, so it goes to .failed. */
    public void failIfMalformed(Exchange exchange) {
        String problem = exchange.getProperty(MALFORMED, String.class);
        if (problem != null) {
            throw new InvalidDocumentException(null, problem);
        }
    }

    /** The document's text; a file that is not UTF-8 text is refused as such. */
    private static String text(byte[] content) {
        for (byte b : content) {
            if (b == 0) {
                throw new InvalidDocumentException(null, "not a YAML or JSON document: the file is binary");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidDocumentException(null, "not a YAML or JSON document: the file is not UTF-8 text");
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
