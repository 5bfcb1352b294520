package dev.backupstate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.User;
import dev.backupstate.testing.TestEngine;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's door (issue 10, findings 3 and 8): the embedded Artemis takes no anonymous
 * connection, the actor is the user the broker authenticated, and hostile documents get an outcome
 * once instead of a redelivery storm. Played over TCP, as another process would.
 */
class BrokerDoorIT {

    private static final long WAIT_MILLIS = 20_000;

    @TempDir
    Path work;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngine.start(work, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    @Test
    void should_refuse_anonymous_connections_and_wrong_passwords() {
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(engine.brokerUrl()).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(engine.brokerUrl(), "admin", "guess").createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        // a person's token is not the engine's secret
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(engine.brokerUrl(), "engine", "sandbox-admin-token")
                .createConnection().close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void should_act_as_the_authenticated_user_whatever_the_message_claims() throws Exception {
        try (Connection dev = connect("dev", "sandbox-dev-token")) {
            Session session = dev.createSession(false, Session.AUTO_ACKNOWLEDGE);

            JsonNode claimed = send(session, "kind: SetUserState\nmetadata: {requestId: up-1, user: admin}\n"
                    + "spec: {user: dev, state: Active, admin: true}\n", null);
            JsonNode stamped = send(session, "kind: SetUserState\nmetadata: {requestId: up-2}\n"
                    + "spec: {user: dev, state: Active, admin: true}\n", "admin");

            assertThat(claimed.get("message").asText()).contains("'admin' is not the user of this broker connection (dev)");
            assertThat(stamped.get("reason").asText()).isEqualTo("ACCESS_DENIED");
            assertThat(stamped.get("message").asText()).contains("user dev is operator");
            // nor may a person read the requests of others, or the outcomes queue
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("backupstate.requests")).close())
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("backupstate.outcomes")).close())
                    .isInstanceOf(JMSSecurityException.class);
        }
        User dev = (User) engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.USER, "dev")).orElseThrow();
        assertThat(dev.admin()).isFalse();
    }

    @Test
    void should_answer_a_hostile_document_once_with_the_problem() throws Exception {
        try (Connection admin = connect("admin", "sandbox-admin-token")) {
            Session session = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
            String deep = "kind: DeleteBackup\nspec: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
            String huge = "kind: DeleteBackup\nspec: {backup: b1}\n# " + "x".repeat(1_100_000) + "\n";

            assertThat(send(session, deep, null).get("message").asText()).contains("nested deeper than 32 levels");
            assertThat(send(session, huge, null).get("message").asText()).contains("the limit is 1048576 (bse.documents.max-bytes)");
            assertThat(send(session, "kind: AddCluster\nspec: {name: ok, kubeconfig: 'secret:ns/ok'}\n", null)
                    .get("accepted").asBoolean()).isTrue();
        }
    }

    private Connection connect(String user, String token) throws Exception {
        Connection connection = new ActiveMQConnectionFactory(engine.brokerUrl(), user, token).createConnection();
        connection.start();
        return connection;
    }

    /** Sends a document with a reply queue (and, if given, a forged validated-user property) and reads its outcome. */
    private JsonNode send(Session session, String document, String forgedUser) throws Exception {
        TemporaryQueue replies = session.createTemporaryQueue();
        try (MessageProducer producer = session.createProducer(session.createQueue("backupstate.requests"));
             MessageConsumer consumer = session.createConsumer(replies)) {
            TextMessage message = session.createTextMessage(document);
            message.setJMSReplyTo(replies);
            if (forgedUser != null) {
                message.setStringProperty("_AMQ_VALIDATED_USER", forgedUser);
                message.setStringProperty("JMSXUserID", forgedUser);
            }
            producer.send(message);
            TextMessage reply = (TextMessage) consumer.receive(WAIT_MILLIS);
            assertThat(reply).as("an outcome for " + document.lines().findFirst().orElse("")).isNotNull();
            assertThat(consumer.receive(300)).as("one outcome, not a redelivery").isNull();
            return Json.json().readTree(reply.getText());
        } finally {
            replies.delete();
        }
    }
}
