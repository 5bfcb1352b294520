package dev.backupstate.inbox;

/** An operation document that cannot be read: the message names the field (or line) and the problem. */
public class InvalidDocumentException extends RuntimeException {

    private final String field;

    public InvalidDocumentException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
    }

    public InvalidDocumentException(String field, String message, Throwable cause) {
        super(field == null ? message : field + ": " + message, cause);
        this.field = field;
    }

    /** The field at fault ("spec.backup", "kind"), or null when the document as a whole is unreadable. */
    public String field() {
        return field;
    }
}
