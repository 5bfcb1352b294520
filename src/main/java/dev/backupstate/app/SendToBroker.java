package dev.backupstate.app;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * {@code bse send FILE...}: puts each operation document on the requests queue of the running
 * engine's broker, with a temporary reply-to queue, and prints the outcome that comes back. It logs
 * in as {@code BSE_USER} with that user's API token ({@code BSE_TOKEN}) as the password: the broker
 * takes no anonymous connection, and the documents are that user's.
 */
final class SendToBroker {

    private static final long REPLY_MILLIS = 30_000;

    private SendToBroker() {
    }

    /**
     * Sends each file (named as the caller gave it, read from {@code cwd}) and prints its outcome. Exit codes
     * as the command line's table has them: 0 every one accepted; 1 one refused by the rules; 2 usage or a
     * file that cannot be read; 3 no broker to reach, or no outcome in time; 6 the broker refused the user
     * or token.
     */
    static int send(Settings settings, String user, String token, Path cwd, List<String> files, PrintStream out) {
        String url = settings.get("bse.broker.url").isEmpty() ? settings.get("bse.broker.listen") : settings.get("bse.broker.url");
        if (url.isEmpty()) {
            out.println("no broker to send to: bse.broker.url and bse.broker.listen are both empty");
            return 2;
        }
        if (user == null || user.isBlank() || token == null || token.isBlank()) {
            out.println("say who sends: BSE_USER=NAME BSE_TOKEN=THEIR-API-TOKEN ./bse send FILE... (the broker takes no anonymous connection)");
            return 6;
        }
        java.util.Map<String, String> documents = new java.util.LinkedHashMap<>();
        for (String file : files) {
            try {
                documents.put(file, Files.readString(cwd.resolve(file)));
            } catch (IOException e) {
                out.println("cannot read " + file + ": " + e.getMessage());
                return 2;
            }
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, user, token);
        try (factory; Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(settings.get("bse.broker.requests-queue")));
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer consumer = session.createConsumer(replies);
            int status = 0;
            for (var document : documents.entrySet()) {
                TextMessage request = session.createTextMessage(document.getValue());
                request.setJMSReplyTo(replies);
                producer.send(request);
                Message reply = consumer.receive(REPLY_MILLIS);
                if (reply == null) {
                    out.println(document.getKey() + ": no outcome within " + REPLY_MILLIS / 1000 + " s (is the engine running?)");
                    status = Math.max(status, 3);
                } else {
                    String outcome = ((TextMessage) reply).getText();
                    out.println(document.getKey() + ": " + outcome);
                    if (!accepted(outcome)) {
                        status = Math.max(status, 1);
                    }
                }
            }
            return status;
        } catch (jakarta.jms.JMSSecurityException e) {
            out.println("the broker at " + url + " refused " + user + ": wrong user or token");
            return 6;
        } catch (JMSException e) {
            out.println("cannot reach the broker at " + url + ": " + e.getMessage());
            return 3;
        }
    }

    private static boolean accepted(String outcome) {
        try {
            return dev.backupstate.inbox.Json.json().readTree(outcome).path("accepted").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
