package dev.backupstate.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Labelled;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import dev.backupstate.model.UserState;
import dev.backupstate.observe.DomainMetrics;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.rules.RuleDirectoryWatcher;
import dev.backupstate.store.Database;
import dev.backupstate.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    public EngineRuntime(Settings settings, Clock clock) {
        String url = settings.get("bse.database.url");
        database = url.isEmpty()
                ? Database.open(Database.embeddedUrl(Path.of(settings.get("bse.data.directory"))), "sa", "", null)
                : Database.open(url, settings.get("bse.database.user"), settings.get("bse.database.password"), null);
        try {
            rules = RuleBook.load(Path.of(settings.get("bse.rules.directory")));
            watcher = RuleDirectoryWatcher.watch(rules, Duration.ofMillis(300));
            mode = Labelled.parse(Mode.class, settings.get("bse.mode"));
            loop = new DecisionLoop(new Store(database, clock), rules, mode);
            metrics = new DomainMetrics(loop.catalog(), mode);
            loop.listen(metrics);
            configureUsers(settings.get("bse.users.admins"), true, clock);
            configureUsers(settings.get("bse.users.others"), false, clock);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Users from the configuration go through the rules like everything else, once each. */
    private void configureUsers(String names, boolean admin, Clock clock) {
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                loop.submit(new Envelope("config:user:" + name.trim() + ":" + admin, "engine", Source.CONFIGURATION,
                        clock.instant(), new Request.SetUserState(name.trim(), UserState.ACTIVE, admin)));
            }
        }
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
        rules.close();
        database.close();
    }
}
