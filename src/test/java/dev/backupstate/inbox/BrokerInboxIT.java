package dev.backupstate.inbox;

import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker inbox against the embedded ActiveMQ Artemis the engine starts, reached over TCP the way
 * another process would send its requests.
 */
class BrokerInboxIT {

    private static final long WAIT_MILLIS = 20_000;

    @TempDir
    Path work;
    private TestEngine engine;
    private Connection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private Session session() throws JMSException {
        if (connection == null) {
            connection = new ActiveMQConnectionFactory(engine.brokerUrl(), "admin", "sandbox-admin-token").createConnection();
            connection.start();
        }
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private static String location(String requestId, String name) {
        return """
                kind: CreateBackupLocation
                metadata: {requestId: %s, user: admin}
                spec: {name: %s, endpoint: "http://minio:9000", bucket: nightly, credentials: secret/minio}
                """.formatted(requestId, name);
    }

    private void send(Session session, String document, Queue replyTo) throws JMSException {
        TextMessage message = session.createTextMessage(document);
        message.setJMSReplyTo(replyTo);
        session.createProducer(session.createQueue("backupstate.requests")).send(message);
    }

    private static JsonNode json(Message message) throws Exception {
        assertThat(message).as("an outcome message").isNotNull();
        return Json.json().readTree(((TextMessage) message).getText());
    }

    @Test
    void should_answer_on_the_reply_to_queue() throws Exception {
        engine = TestEngine.start(work);
        Session session = session();
        TemporaryQueue replies = session.createTemporaryQueue();

        send(session, location("loc-1", "l1"), replies);
        Message reply = session.createConsumer(replies).receive(WAIT_MILLIS);

        JsonNode outcome = json(reply);
        assertThat(outcome.get("accepted").asBoolean()).isTrue();
        assertThat(outcome.get("transitions").get(0).asText()).isEqualTo("backup-locations/l1: created ValidationInProgress");
        assertThat(reply.getStringProperty("requestId")).isEqualTo("loc-1");
        assertThat(engine.runtime().loop().store().outcome("admin", "loc-1")).isPresent();
    }

    @Test
    void should_answer_on_the_outcomes_queue_without_a_reply_to_correlated_by_request_id() throws Exception {
        engine = TestEngine.start(work);
        Session session = session();
        MessageConsumer outcomes = session.createConsumer(session.createQueue("backupstate.outcomes"));

        send(session, location("loc-2", "l2"), null);
        Message outcome = outcomes.receive(WAIT_MILLIS);

        assertThat(json(outcome).get("accepted").asBoolean()).isTrue();
        assertThat(outcome.getStringProperty("requestId")).isEqualTo("loc-2");
        assertThat(outcome.getJMSCorrelationID()).isEqualTo("loc-2");
    }

    @Test
    void should_answer_a_malformed_document_naming_the_problem_and_change_nothing() throws Exception {
        engine = TestEngine.start(work);
        Session session = session();
        TemporaryQueue replies = session.createTemporaryQueue();
        MessageConsumer consumer = session.createConsumer(replies);

        send(session, "kind: CreateBackupLocation\nmetadata: {requestId: bad-1, user: admin}\nspec: {name: [unclosed\n", replies);
        JsonNode malformed = json(consumer.receive(WAIT_MILLIS));
        send(session, "kind: CreateBackupLocation\nmetadata: {requestId: bad-2, user: admin}\nspec: {endpoint: x}\n", replies);
        JsonNode missingField = json(consumer.receive(WAIT_MILLIS));
        send(session, "kind: LaunchRocket\nmetadata: {requestId: bad-3, user: admin}\nspec: {}\n", replies);
        JsonNode unknownKind = json(consumer.receive(WAIT_MILLIS));

        assertThat(malformed.get("reason").asText()).isEqualTo("INVALID_DOCUMENT");
        assertThat(missingField.get("message").asText()).contains("spec.name");
        assertThat(unknownKind.get("message").asText()).contains("LaunchRocket");
        assertThat(engine.runtime().loop().catalog().all(dev.backupstate.model.ResourceKind.BACKUP_LOCATION)).isEmpty();
    }

    @Test
    void should_act_once_on_a_repeated_request() throws Exception {
        engine = TestEngine.start(work);
        Session session = session();
        TemporaryQueue replies = session.createTemporaryQueue();
        MessageConsumer consumer = session.createConsumer(replies);

        send(session, location("loc-3", "l3"), replies);
        JsonNode first = json(consumer.receive(WAIT_MILLIS));
        send(session, location("loc-3", "l3"), replies);
        JsonNode second = json(consumer.receive(WAIT_MILLIS));

        assertThat(second).isEqualTo(first);
        assertThat(engine.runtime().loop().store().auditOfRequest("loc-3")).hasSize(1);
    }

    @Test
    void should_keep_a_request_taken_by_the_broker_across_a_restart() throws Exception {
        engine = TestEngine.start(work);
        engine.camel.getCamelContext().getRouteController().stopRoute("inbox-broker");
        Session session = session();
        send(session, location("loc-4", "l4"), null);
        connection.close();
        connection = null;
        engine.close();

        engine = TestEngine.start(work);
        Message outcome = session().createConsumer(session().createQueue("backupstate.outcomes")).receive(WAIT_MILLIS);

        assertThat(json(outcome).get("accepted").asBoolean()).isTrue();
        assertThat(outcome.getStringProperty("requestId")).isEqualTo("loc-4");
    }
}
