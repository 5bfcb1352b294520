package dev.backupstate.inbox;

import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What the file-drop route calls for each file. The actor is the folder: a document in
 * {@code inbox/alice/} is alice's ({@link InboxFolders} makes one folder per configured user, open to
 * that user alone); a file owned by another OS account than the folder's (or the engine's) is
 * refused. The outcome goes to {@code outbox/alice/}. A document that cannot be read, or a file
 * outside a user's folder, gets an outcome naming the problem, and the route then moves it to .failed.
 */
public final class FileInbox {

    /** Exchange property set when the file was not a readable document. */
    public static final String MALFORMED = "bse.malformed";
    private static final String OUTCOME_SUFFIX = ".outcome.json";

    private final DocumentIntake intake;

    public FileInbox(DocumentIntake intake) {
        this.intake = intake;
    }

    /** A file in a user's folder. */
    public void handle(Exchange exchange) {
        Long length = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, Long.class);
        // an oversized file is refused by its length, never read into memory
        byte[] content = length != null && length > intake.maxBytes() ? null : exchange.getMessage().getBody(byte[].class);
        String relative = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class).replace(File.separatorChar, '/');
        String user = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : null;
        Outcome outcome;
        String stranger = user == null ? null : foreignOwner(exchange);
        if (stranger != null) {
            intake.unreadable(Source.FILE);
            outcome = new Outcome(null, false, DocumentIntake.UNAUTHENTICATED, "the file is owned by the OS account "
                    + stranger + ", not by the owner of inbox/" + user + "/: nothing was read or changed", null, List.of());
        } else if (content == null && length != null && length > 0) {
            intake.unreadable(Source.FILE);
            outcome = new Outcome(null, false, DocumentIntake.INVALID_DOCUMENT,
                    new DocumentTooLargeException(length, intake.maxBytes()).getMessage(), null, List.of());
        } else {
            byte[] document = content == null ? new byte[0] : content;
            outcome = intake.take(document, Source.FILE, user, DocumentIntake.contentId("file:" + user + ":", document));
        }
        answer(exchange, outcome, relative);
    }

    /** A file dropped in the inbox itself, outside any user's folder: it names nobody, so it is refused. */
    public void refuseUnowned(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        intake.unreadable(Source.FILE);
        answer(exchange, new Outcome(null, false, DocumentIntake.UNAUTHENTICATED, "a document is read from its user's "
                + "folder, inbox/USER/" + name + ": the inbox itself names no user, so nothing was read or changed",
                null, List.of()), name);
    }

    private static void answer(Exchange exchange, Outcome outcome, String relative) {
        if (DocumentIntake.isInvalidDocument(outcome)) {
            exchange.setProperty(MALFORMED, outcome.message());
        }
        exchange.getMessage().setBody(Json.toJson(outcome));
        exchange.getMessage().setHeader(Exchange.FILE_NAME, relative + OUTCOME_SUFFIX);
    }

    /** The file's OS owner when it is neither the folder's owner nor the engine's own account. */
    private static String foreignOwner(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
        if (path == null) {
            return null;
        }
        try {
            Path file = Path.of(path);
            UserPrincipal owner = Files.getOwner(file);
            UserPrincipal folder = Files.getOwner(file.getParent());
            String engine = System.getProperty("user.name");
            return owner.equals(folder) || owner.getName().equals(engine) ? null : owner.getName();
        } catch (UnsupportedOperationException e) {
            // a file system without owners (not POSIX): the folder's permissions are all there is
            return null;
        } catch (IOException e) {
            // an owner that cannot be read is no owner we trust: the file is refused
            return "(unreadable: " + e.getClass().getSimpleName() + ")";
        }
    }

    /** After the outcome is written: a malformed file fails its exchange, so it goes to .failed. */
    public void failIfMalformed(Exchange exchange) {
        String problem = exchange.getProperty(MALFORMED, String.class);
        if (problem != null) {
            throw new InvalidDocumentException(null, problem);
        }
    }
}
