package dev.backupstate.inbox;

import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import org.apache.camel.Exchange;

/**
 * What the file-drop route calls for each file: has the document decided and leaves the outcome as
 * the message body with the outcome file's name. A document that cannot be read gets an outcome
 * naming the problem, and the route then moves it to .failed.
 */
public final class FileInbox {

    /** Exchange property set when the file was not a readable document. */
    public static final String MALFORMED = "bse.malformed";
    private static final String OUTCOME_SUFFIX = ".outcome.json";

    private final DocumentIntake intake;

    public FileInbox(DocumentIntake intake) {
        this.intake = intake;
    }

    public void handle(Exchange exchange) {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Outcome outcome = intake.take(content, Source.FILE, DocumentIntake.contentId("file:", content));
        if (DocumentIntake.isInvalidDocument(outcome)) {
            exchange.setProperty(MALFORMED, outcome.message());
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
}
