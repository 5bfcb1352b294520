package dev.backupstate.inbox;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The JMS broker the broker inbox reads from. With no URL configured it is an embedded ActiveMQ
 * Artemis with its persistent journal under the data directory (a message the broker took survives a
 * crash), reachable in-JVM and, if {@code listen} is set, over TCP for other processes. With a URL
 * it is an external ActiveMQ Artemis broker (or cluster: the URL may list several), which several
 * engine instances can share; an embedded broker belongs to one process.
 */
public final class Broker implements AutoCloseable {

    private final EmbeddedActiveMQ embedded;
    private final CachingConnectionFactory connectionFactory;

    private Broker(EmbeddedActiveMQ embedded, ConnectionFactory target) {
        this.embedded = embedded;
        // the outcome producer sends per message: reuse one connection and session
        this.connectionFactory = new CachingConnectionFactory(target);
        this.connectionFactory.setSessionCacheSize(4);
    }

    /**
     * The embedded broker, started, with {@link BrokerSecurity}: no anonymous connections; the engine
     * connects as itself. {@code listen} empty means in-JVM only.
     */
    public static Broker embedded(Path directory, String listen, Tokens tokens,
                                  java.util.function.Function<String, dev.backupstate.model.Actor> people,
                                  String requestsQueue, String outcomesQueue, String deadLetterQueue) {
        String inVm = "vm://" + Math.abs(directory.toAbsolutePath().hashCode());
        String engineSecret = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();
        EmbeddedActiveMQ server = server(directory, inVm, listen, new BrokerSecurity(tokens, people, engineSecret),
                requestsQueue, outcomesQueue, deadLetterQueue);
        return new Broker(server, new ActiveMQConnectionFactory(inVm, BrokerSecurity.ENGINE, engineSecret));
    }

    /**
     * The broker server itself, started: persistent, secured by {@code security}, with the engine's
     * queues and its redelivery policy; reachable at {@code acceptor} (vm:// or tcp://) and {@code listen}
     * when not empty. Also what several engines can share as their external broker.
     */
    public static EmbeddedActiveMQ server(Path directory, String acceptor, String listen, BrokerSecurity security,
                                          String requestsQueue, String outcomesQueue, String deadLetterQueue) {
        Configuration configuration = new ConfigurationImpl()
                .setName("backupstate")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .setLargeMessagesDirectory(directory.resolve("large-messages").toString())
                .setJMXManagementEnabled(false);
        try {
            configuration.addAcceptorConfiguration("engine", acceptor);
            if (!listen.isBlank()) {
                configuration.addAcceptorConfiguration("tcp", listen);
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("bse.broker.listen: not a broker address: " + listen, e);
        }
        // a request that keeps failing (say, the database is down) is retried, then parked, never dropped
        configuration.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                .setAutoCreateDeadLetterResources(false)
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(1_000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000));
        // a request that could not be decided after every attempt is parked where only the engine reads, and
        // reaches the dead-letter queue (which admins read) masked (DeadLetters, routes/inbox-broker.camel.yaml)
        configuration.addAddressSetting(requestsQueue, new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(parked(requestsQueue)))
                .setAutoCreateDeadLetterResources(false)
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(1_000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000));
        security.secure(configuration, requestsQueue, outcomesQueue, deadLetterQueue);
        security.engineOnly(configuration, parked(requestsQueue));
        // the engine's queues exist from the start: people may send, not create addresses
        for (String queue : java.util.List.of(requestsQueue, outcomesQueue, deadLetterQueue, parked(requestsQueue))) {
            configuration.addQueueConfiguration(org.apache.activemq.artemis.api.core.QueueConfiguration.of(queue)
                    .setAddress(queue).setRoutingType(org.apache.activemq.artemis.api.core.RoutingType.ANYCAST).setDurable(true));
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(configuration).setSecurityManager(security);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded broker did not start (" + directory + "): " + e.getMessage(), e);
        }
        return server;
    }

    /** Where Artemis parks a request no delivery could decide: read by the engine only, which masks it on. */
    public static String parked(String requestsQueue) {
        return requestsQueue + ".parked";
    }

    /** An external broker by its Artemis client URL. */
    public static Broker external(String url, String user, String password) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!user.isEmpty()) {
            factory.setUser(user);
            factory.setPassword(password);
        }
        return new Broker(null, factory);
    }

    /**
     * Closes every connection of this user to the embedded broker (a user set Inactive or demoted):
     * what they had open, a consumer on the outcomes queue among it, ends now rather than at their
     * next check. Returns how many were closed; an external broker is left to its own administrators.
     */
    public int disconnect(String user) {
        if (embedded == null || embedded.getActiveMQServer() == null) {
            return 0;
        }
        java.util.Set<org.apache.activemq.artemis.spi.core.protocol.RemotingConnection> connections = new java.util.HashSet<>();
        for (org.apache.activemq.artemis.core.server.ServerSession session : embedded.getActiveMQServer().getSessions()) {
            if (user.equals(session.getValidatedUser()) || user.equals(session.getUsername())) {
                connections.add(session.getRemotingConnection());
            }
        }
        connections.forEach(connection -> connection.fail(new org.apache.activemq.artemis.api.core.ActiveMQSecurityException(
                "user " + user + " is no longer allowed on this broker")));
        return connections.size();
    }

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @Override
    public void close() {
        connectionFactory.destroy();
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (Exception e) {
                throw new IllegalStateException("the embedded broker did not stop cleanly", e);
            } finally {
                // Artemis keeps global client thread pools alive; left running they hold the JVM ~60 s
                ActiveMQClient.clearThreadPools();
            }
        }
    }
}
