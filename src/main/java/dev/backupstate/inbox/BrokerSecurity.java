package dev.backupstate.inbox;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager3;

/**
 * Who may connect to the embedded broker, and what each may do there. People log in with their
 * user name and their API token as the password, checked against the same SHA-256 hashes as REST
 * ({@link Tokens}): one credential per person, stored hashed. The engine logs in as itself with a
 * secret made fresh for each process. People may send to the requests queue and use temporary
 * reply queues; only the engine reads requests; only the engine and admins read the outcomes queue.
 * The broker stamps each message with the user it authenticated, and that is the actor.
 */
public final class BrokerSecurity implements ActiveMQSecurityManager3 {

    /** The broker role of everyone who logs in with a token. */
    static final String PERSON = "person";
    static final String ADMIN = "admin";
    /** The user the engine logs in as. */
    public static final String ENGINE = "engine";

    private final Tokens tokens;
    private final java.util.function.Function<String, dev.backupstate.model.Actor> people;
    private final String engineSecret;

    /**
     * {@code people}: each user as the catalog knows them now, asked at every check, so a user set
     * Inactive or demoted loses their rights at once (the engine also closes their connections).
     */
    public BrokerSecurity(Tokens tokens, java.util.function.Function<String, dev.backupstate.model.Actor> people, String engineSecret) {
        this.tokens = tokens;
        this.people = people;
        this.engineSecret = engineSecret;
    }

    /** A broker shared by several engines, which holds no catalog: its admins named, every other token a person. */
    public BrokerSecurity(Tokens tokens, Set<String> admins, String engineSecret) {
        this(tokens, name -> new dev.backupstate.model.Actor(name, dev.backupstate.model.UserState.ACTIVE, admins.contains(name),
                admins.contains(name) ? dev.backupstate.model.Role.ADMIN : dev.backupstate.model.Role.OPERATOR), engineSecret);
    }

    /** Turns security on in {@code configuration}, with the address permissions described above. */
    public void secure(Configuration configuration, String requests, String outcomes, String deadLetters) {
        Map<String, Set<Role>> roles = new HashMap<>();
        Role engine = new Role(ENGINE, true, true, true, true, true, true, true, true, true, true);
        roles.put("#", Set.of(engine,
                // temporary reply queues: created, read and removed by the person who asked
                new Role(PERSON, false, true, false, false, true, true, false, false, true, true)));
        roles.put(requests, Set.of(engine, new Role(PERSON, true, false, false, false, false, false, false, false, false, false)));
        Role reader = new Role(ADMIN, false, true, true, false, false, false, false, true, true, false);
        roles.put(outcomes, Set.of(engine, reader));
        roles.put(deadLetters, Set.of(engine, reader));
        configuration.setSecurityEnabled(true)
                // no cached verdicts: a user's state and role are asked of the catalog at every check
                .setSecurityInvalidationInterval(0)
                .setAuthenticationCacheSize(0)
                .setAuthorizationCacheSize(0)
                .setPopulateValidatedUser(true)
                .setSecurityRoles(roles);
    }

    /** An address only the engine may use at all (no person, not even an admin). */
    public void engineOnly(Configuration configuration, String address) {
        configuration.getSecurityRoles().put(address, Set.of(new Role(ENGINE, true, true, true, true, true, true, true, true, true, true)));
    }

    @Override
    public boolean validateUser(String user, String password) {
        if (user == null || password == null) {
            return false;
        }
        if (ENGINE.equals(user)) {
            return MessageDigest.isEqual(engineSecret.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        }
        return tokens.user(password).map(user::equals).orElse(false) && active(user);
    }

    /** The user name the broker stamps on this connection's messages (Artemis reads it from here). */
    @Override
    public String validateUser(String user, String password, RemotingConnection connection) {
        return validateUser(user, password) ? user : null;
    }

    @Override
    public String validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType, String address,
                                      RemotingConnection connection) {
        return validateUserAndRole(user, password, roles, checkType) ? user : null;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        if (!validateUser(user, password)) {
            return false;
        }
        Set<String> mine = ENGINE.equals(user) ? Set.of(ENGINE) : roles(user);
        for (Role role : roles) {
            if (mine.contains(role.getName()) && checkType.hasRole(role)) {
                return true;
            }
        }
        return false;
    }

    /** A person's broker roles from the catalog: none unless Active; admin only for an admin. */
    private Set<String> roles(String user) {
        dev.backupstate.model.Actor actor = people.apply(user);
        if (actor == null || actor.state() != dev.backupstate.model.UserState.ACTIVE) {
            return Set.of();
        }
        return actor.admin() ? Set.of(PERSON, ADMIN) : Set.of(PERSON);
    }

    /** True when this user may connect at all (Active); the engine is always let in. */
    boolean active(String user) {
        return ENGINE.equals(user) || !roles(user).isEmpty();
    }
}
