package dev.backupstate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Source;
import dev.backupstate.model.UserState;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.store.Database;
import dev.backupstate.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop on the embedded database: decide, commit, remember across a restart, act once per request id. */
class DecisionLoopIT {

    @TempDir
    Path data;
    private HikariDataSource database;
    private RuleBook rules;
    private DecisionLoop loop;

    @BeforeEach
    void start() {
        database = Database.open(Database.embeddedUrl(data), "sa", "", null);
        rules = RuleBook.load(Path.of("rules"));
        loop = new DecisionLoop(new Store(database, Clock.systemUTC()), rules, Mode.CLASSIC);
        // given an admin from the engine's configuration
        loop.submit(new Envelope("configured-admin", "engine", Source.CONFIGURATION, Instant.now(),
                new Request.SetUserState("admin", UserState.ACTIVE, true)));
    }

    @AfterEach
    void stop() {
        rules.close();
        database.close();
    }

    private Outcome submit(String requestId, String user, Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return loop.submit(new Envelope(requestId, user, source, Instant.now(), event));
    }

    /** An Active cluster and a Valid location, made through the loop itself. */
    private void clusterAndLocation() {
        submit("c1", "admin", new Request.AddCluster("c1", "secret/c1"));
        submit("p1", "engine", new Observation.ClusterProbed("c1", ClusterState.ACTIVE, null));
        submit("l1", "admin", new Request.CreateBackupLocation("l1", LocationType.S3, "http://s3", "eu", "b", "", "s"));
        submit("v1", "engine", new Observation.LocationValidated("l1", true, null));
    }

    @Test
    void should_take_a_backup_from_request_to_success() {
        clusterAndLocation();

        Outcome created = submit("b1", "admin", new Request.CreateBackup("b1", "c1", "l1", List.of(), null, null,
                null, null, null));
        submit("o1", "engine", new Observation.BackupProgressed("b1", BackupStatus.SUCCESS, null, null));

        assertThat(created.accepted()).isTrue();
        assertThat(created.transitions()).containsExactly("backups/b1: created Pending");
        assertThat(loop.catalog().find(ResourceKind.BACKUP, "b1")).get()
                .satisfies(b -> assertThat(b.stateLabel()).isEqualTo("Success"));
        assertThat(loop.pendingCommands(10)).extracting(Object::toString)
                .contains("RUN_BACKUP backups/b1 cluster=c1 location=l1");
    }

    @Test
    void should_act_once_for_a_repeated_request_id() {
        clusterAndLocation();
        Event create = new Request.CreateBackup("b1", "c1", "l1", List.of(), null, null, null, null, null);

        Outcome first = submit("same", "admin", create);
        Outcome again = submit("same", "admin", create);

        assertThat(again).isEqualTo(first);
        assertThat(again.accepted()).isTrue();
        assertThat(loop.pendingCommands(10)).filteredOn(c -> c.toString().startsWith("RUN_BACKUP")).hasSize(1);
    }

    @Test
    void should_remember_everything_after_a_restart() {
        clusterAndLocation();
        submit("b1", "admin", new Request.CreateBackup("b1", "c1", "l1", List.of(), null, null, null, null, null));

        // when the engine restarts on the same database
        DecisionLoop restarted = new DecisionLoop(new Store(database, Clock.systemUTC()), rules, Mode.CLASSIC);

        // then it knows the cluster, and refuses the same backup name
        assertThat(restarted.catalog().find(ResourceKind.CLUSTER, "c1")).get()
                .isInstanceOfSatisfying(Cluster.class, c -> assertThat(c.state()).isEqualTo(ClusterState.ACTIVE));
        Outcome duplicate = restarted.submit(new Envelope("b1-again", "admin", Source.REST, Instant.now(),
                new Request.CreateBackup("b1", "c1", "l1", List.of(), null, null, null, null, null)));
        assertThat(duplicate.reason()).isEqualTo("RESOURCE_EXISTS");
    }

    @Test
    void should_refuse_an_unknown_user_and_change_nothing() {
        Outcome outcome = submit("x1", "mallory", new Request.AddCluster("c9", "secret/c9"));

        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.reason()).isEqualTo("USER_NOT_ACTIVE");
        assertThat(loop.catalog().find(ResourceKind.CLUSTER, "c9")).isEmpty();
    }

    @Test
    void should_decide_concurrent_requests_each_on_the_state_the_previous_left_and_commit_each_once() throws Exception {
        // given 8 clients at once: 400 distinct locations, each name asked for twice under two request
        // ids, and each request id sent twice
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Outcome>> outcomes = new java.util.ArrayList<>();
        for (int n = 0; n < 400; n++) {
            for (String id : List.of("a-" + n, "b-" + n, "a-" + n, "b-" + n)) {
                String name = "l" + n;
                outcomes.add(clients.submit(() -> submit(id, "admin",
                        new Request.CreateBackupLocation(name, LocationType.S3, "http://s3", "eu", "b", "folder-" + name, "s"))));
            }
        }
        List<Outcome> answered = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Outcome> outcome : outcomes) {
            answered.add(outcome.get());
        }
        clients.shutdown();

        // then each name was created once, the second request id for it refused as existing
        assertThat(answered.stream().filter(Outcome::accepted).map(Outcome::requestId).distinct()).hasSize(400);
        assertThat(answered.stream().filter(o -> !o.accepted()).map(Outcome::reason).distinct())
                .containsExactly("RESOURCE_EXISTS");
        // and the store, reloaded, agrees: 400 locations, one audit entry per request id
        DecisionLoop restarted = new DecisionLoop(new Store(database, Clock.systemUTC()), rules, Mode.CLASSIC);
        assertThat(restarted.catalog().count(ResourceKind.BACKUP_LOCATION)).isEqualTo(400);
        for (int n = 0; n < 400; n += 37) {
            assertThat(loop.store().auditOfRequest("a-" + n)).hasSize(1);
            assertThat(loop.store().auditOfRequest("b-" + n)).hasSize(1);
        }
    }
}
