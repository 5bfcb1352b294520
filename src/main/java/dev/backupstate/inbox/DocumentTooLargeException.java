package dev.backupstate.inbox;

/** A document over the size limit every inbox shares (REST answers it 413, the others an outcome). */
public final class DocumentTooLargeException extends InvalidDocumentException {

    public DocumentTooLargeException(long size, int limit) {
        super(null, "the document is " + size + " bytes; the limit is " + limit + " (bse.documents.max-bytes)");
    }
}
