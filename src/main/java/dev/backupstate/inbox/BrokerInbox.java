package dev.backupstate.inbox;

import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import org.apache.camel.Exchange;

/**
 * What the broker route calls for each message on backupstate.requests: has the document decided and
 * leaves the outcome as the reply, with the request id as the {@code requestId} property (and as the
 * correlation id when the sender gave none), so a reader of backupstate.outcomes can match it.
 */
public final class BrokerInbox {

    private final DocumentIntake intake;

    public BrokerInbox(DocumentIntake intake) {
        this.intake = intake;
    }

    public void handle(Exchange exchange) {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        // the message id survives redelivery: a document without a request id still acts once
        String messageId = exchange.getMessage().getHeader("JMSMessageID", String.class);
        String fallback = messageId != null ? "jms:" + messageId : DocumentIntake.contentId("jms:", content);
        Outcome outcome = intake.take(content, Source.BROKER, fallback);
        String requestId = outcome.requestId() != null ? outcome.requestId() : fallback;
        exchange.getMessage().setHeader("requestId", requestId);
        if (exchange.getMessage().getHeader("JMSCorrelationID") == null) {
            exchange.getMessage().setHeader("JMSCorrelationID", requestId);
        }
        exchange.getMessage().setBody(Json.toJson(outcome));
    }
}
