package dev.backupstate.inbox;

import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsMessage;

/**
 * What the broker route calls for each message on backupstate.requests: has the document decided as
 * the user the broker authenticated for it (Artemis stamps it on the message; the document's word is
 * never taken), and leaves the outcome as the reply, with the request id as the {@code requestId} property (and as the
 * correlation id when the sender gave none), so a reader of backupstate.outcomes can match it.
 */
public final class BrokerInbox {

    /** The JMS name of the broker-authenticated user; Artemis maps it to its validated user (_AMQ_VALIDATED_USER). */
    static final String VALIDATED_USER = "JMSXUserID";

    private final DocumentIntake intake;

    public BrokerInbox(DocumentIntake intake) {
        this.intake = intake;
    }

    public void handle(Exchange exchange) {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        // the message id survives redelivery: a document without a request id still acts once
        String messageId = exchange.getMessage().getHeader("JMSMessageID", String.class);
        String fallback = messageId != null ? "jms:" + messageId : DocumentIntake.contentId("jms:", content);
        Outcome outcome = intake.take(content, Source.BROKER, validatedUser(exchange), fallback);
        String requestId = outcome.requestId() != null ? outcome.requestId() : fallback;
        exchange.getMessage().setHeader("requestId", requestId);
        if (exchange.getMessage().getHeader("JMSCorrelationID") == null) {
            exchange.getMessage().setHeader("JMSCorrelationID", requestId);
        }
        exchange.getMessage().setBody(Json.toJson(outcome));
    }

    /**
     * The user the broker authenticated for this message: Artemis sets its validated user itself
     * (populate-validated-user, on in the embedded broker), overwriting whatever a sender put there,
     * and shows it as {@code JMSXUserID}. Null when the broker did not say, and such a message is refused.
     */
    static String validatedUser(Exchange exchange) {
        if (exchange.getMessage() instanceof JmsMessage jms && jms.getJmsMessage() != null) {
            try {
                return jms.getJmsMessage().getStringProperty(VALIDATED_USER);
            } catch (JMSException e) {
                return null;
            }
        }
        return null;
    }
}
