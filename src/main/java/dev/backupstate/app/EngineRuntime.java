package dev.backupstate.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.bucket.CredentialGrants;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Actor;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Labelled;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Request;
import dev.backupstate.model.Role;
import dev.backupstate.model.Source;
import dev.backupstate.model.UserState;
import dev.backupstate.observe.DomainMetrics;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.rules.RuleDirectoryWatcher;
import dev.backupstate.store.Database;
import dev.backupstate.store.Fence;
import dev.backupstate.store.InFlight;
import dev.backupstate.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Everything the routes call, started in order from the settings and closed in reverse: the
 * database, the rules and their watcher, the decision loop, and the users the configuration names.
 */
public final class EngineRuntime implements AutoCloseable {

    private final HikariDataSource database;
    private final RuleBook rules;
    private final RuleDirectoryWatcher watcher;
    private final DecisionLoop loop;
    private final Mode mode;
    private final DomainMetrics metrics;
    private final Map<String, Role> users;
    private final Fence fence;
    private final InFlight inFlight;
    private final Clock clock;
    private RuleDirectoryWatcher shadowWatcher;

    public EngineRuntime(Settings settings, Clock clock) {
        String url = settings.get("bse.database.url");
        database = url.isEmpty()
                ? Database.open(Database.embeddedUrl(Path.of(settings.get("bse.data.directory"))), "sa", "", null)
                : Database.open(url, settings.get("bse.database.user"), settings.get("bse.database.password"), null);
        try {
            rules = RuleBook.load(Path.of(settings.get("bse.rules.directory")));
            watcher = RuleDirectoryWatcher.watch(rules, Duration.ofMillis(300));
            mode = Labelled.parse(Mode.class, settings.get("bse.mode"));
            // elected (issue 12): only the leader's commits go through, checked in each commit's transaction
            fence = "none".equals(settings.get("bse.leader.cluster-service").trim()) ? Fence.none() : Fence.enforced(database, clock);
            loop = new DecisionLoop(new Store(database, clock, fence), rules, mode, CredentialGrants.from(settings.all()),
                    new dev.backupstate.model.Quotas(Long.parseLong(settings.get("bse.limits.schedules-per-user")),
                            Long.parseLong(settings.get("bse.limits.backups-per-user")),
                            Long.parseLong(settings.get("bse.limits.restores-per-user"))));
            inFlight = new InFlight(database, fence);
            metrics = new DomainMetrics(loop.catalog(), mode);
            metrics.watchRules(rules);
            loop.listen(metrics);
            String shadowDirectory = settings.get("bse.rules.shadow-directory").trim();
            if (!shadowDirectory.isEmpty()) {
                RuleBook candidate = RuleBook.load(Path.of(shadowDirectory));
                shadowWatcher = RuleDirectoryWatcher.watch(candidate, Duration.ofMillis(300));
                loop.shadow(new dev.backupstate.rules.ShadowRules(candidate, clock, metrics::shadowDisagreed));
            }
            users = configuredUsers(settings);
            this.clock = clock;
            if (!fence.enforced()) {
                inFlight.reload();
                announceUsers();
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * The configured users through the rules, once per name and role: at start, or when this engine
     * takes the lead (a follower decides nothing).
     */
    public void announceUsers() {
        users.forEach((name, role) -> loop.submit(new Envelope("config:user:" + name + ":" + role.label(), Actor.ENGINE_NAME,
                Source.CONFIGURATION, clock.instant(), new Request.SetUserState(name, UserState.ACTIVE, false, role))));
    }

    /** Work in flight that is not a resource (silences, unseen objects, discovery runs), kept in the store. */
    public InFlight inFlight() {
        return inFlight;
    }

    /** The leadership epoch this engine's commits are checked against. */
    public Fence fence() {
        return fence;
    }

    /**
     * Users from the configuration, by role (bse.users.admins, .operators, .viewers); they go through
     * the rules like everything else, once per name and role.
     */
    private static Map<String, Role> configuredUsers(Settings settings) {
        Map<String, Role> users = new LinkedHashMap<>();
        for (Role role : List.of(Role.ADMIN, Role.OPERATOR, Role.VIEWER)) {
            for (String name : settings.get("bse.users." + role.label() + "s").split(",")) {
                if (!name.isBlank()) {
                    Role earlier = users.putIfAbsent(name.trim(), role);
                    if (earlier != null) {
                        throw new IllegalArgumentException("bse.users: " + name.trim() + " is listed as " + earlier.label()
                                + " and as " + role.label() + "; give each user one role");
                    }
                }
            }
        }
        return users;
    }

    /** The configured users and their roles. */
    public Map<String, Role> users() {
        return users;
    }

    public Set<String> admins() {
        Set<String> admins = new java.util.HashSet<>();
        users.forEach((name, role) -> {
            if (role == Role.ADMIN) {
                admins.add(name);
            }
        });
        return admins;
    }

    public DecisionLoop loop() {
        return loop;
    }

    public DomainMetrics metrics() {
        return metrics;
    }

    public DataSource database() {
        return database;
    }

    public Mode mode() {
        return mode;
    }

    public RuleBook rules() {
        return rules;
    }

    @Override
    public void close() {
        watcher.close();
        if (shadowWatcher != null) {
            shadowWatcher.close();
        }
        loop.shadow().ifPresent(dev.backupstate.rules.ShadowRules::close);
        rules.close();
        database.close();
    }
}
