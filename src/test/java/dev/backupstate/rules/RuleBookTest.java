package dev.backupstate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backupstate.engine.FactLoader;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Reason;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import dev.backupstate.model.User;
import dev.backupstate.model.UserState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule book against a copy of rules/ that the tests edit while it runs. */
class RuleBookTest {

    private static final Duration QUIET = Duration.ofMillis(150);
    private static final String GUARD = "Cluster(name == $cluster, state != ClusterState.ACTIVE, $state : state)";

    @TempDir
    Path rules;
    private RuleBook book;
    private RuleDirectoryWatcher watcher;
    private FactLoader loader;

    @BeforeEach
    void copyRulesAndLoad() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path drl : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, rules.resolve(drl.getFileName()));
            }
        }
        book = RuleBook.load(rules);
        watcher = RuleDirectoryWatcher.watch(book, QUIET);
        InMemoryCatalog world = new InMemoryCatalog();
        world.put(new User("alice", UserState.ACTIVE, false));
        world.put(new Cluster("c1", ClusterState.DISCONNECTED, "unreachable", true, null, "admin"));
        world.put(new BackupLocation("l1", BackupLocationState.VALID, LocationType.S3,
                new BucketKey("http://s3", "b", ""), null, null, "admin", null));
        loader = new FactLoader(world, Mode.CLASSIC);
    }

    @AfterEach
    void close() {
        watcher.close();
        book.close();
    }

    private Decision backupOnDisconnectedCluster() {
        return book.evaluate(loader.factsFor(new Envelope("r1", "alice", Source.SCENARIO, Instant.now(),
                new Request.CreateBackup("b1", "c1", "l1", List.of(), null, null, null, null, null))));
    }

    /** Writes a file the way an editor should: whole, then moved into place. */
    private void write(String file, String content) throws IOException {
        Path temp = Files.createTempFile(rules.getParent(), "edit", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, rules.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void should_decide_with_the_edited_rule_once_the_file_changes() throws IOException {
        // given the rule in force refuses a backup on a Disconnected cluster
        assertThat(backupOnDisconnectedCluster().reason()).isEqualTo(Reason.CLUSTER_NOT_ACTIVE);
        long before = book.generation();

        // when ops staff edit backups.drl to tolerate Disconnected clusters
        String drl = Files.readString(rules.resolve("backups.drl"));
        assertThat(drl).contains(GUARD);
        write("backups.drl", drl.replace(GUARD,
                "Cluster(name == $cluster, state not in (ClusterState.ACTIVE, ClusterState.DISCONNECTED), $state : state)"));

        // then the running rule book picks the change up and decides by it
        await().atMost(Duration.ofSeconds(20)).until(() -> backupOnDisconnectedCluster().accepted());
        assertThat(book.generation()).isGreaterThan(before);
        assertThat(book.reports().get(0).accepted()).isTrue();
    }

    @Test
    void should_pick_up_an_added_file_and_forget_a_removed_one() throws IOException {
        // when a new rule file appears
        write("change-freeze.drl", String.join("\n",
                "package dev.backupstate.rules",
                "import dev.backupstate.model.*;",
                "import dev.backupstate.model.Request.*;",
                "rule \"No backups during the change freeze\"",
                "when",
                "    CreateBackup()",
                "then",
                "    insert(new Rejection(Reason.ILLEGAL_TRANSITION, \"change freeze\"));",
                "end"));
        // then its rule decides
        await().atMost(Duration.ofSeconds(20)).until(() -> "No backups during the change freeze".equals(
                backupOnDisconnectedCluster().rulings().stream().map(Decision.Ruling::rule)
                        .filter(r -> r.startsWith("No backups")).findFirst().orElse(null)));

        // and when it is removed, its rule no longer does
        Files.delete(rules.resolve("change-freeze.drl"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !book.ruleNames().contains("No backups during the change freeze"));
        assertThat(backupOnDisconnectedCluster().rulings()).extracting(Decision.Ruling::rule)
                .doesNotContain("No backups during the change freeze");
    }

    @Test
    void should_refuse_a_broken_file_with_its_name_and_line_while_the_old_rules_decide() throws IOException {
        long before = book.generation();

        // when a file with a syntax error on line 5 is written
        write("broken.drl", String.join("\n",
                "package dev.backupstate.rules",
                "import dev.backupstate.model.*;",
                "rule \"Half written\"",
                "when",
                "    Cluster(state == ClusterState.ACTIVE &&& )",
                "then",
                "end"));

        // then the refusal names the file and line, and the rules in force are unchanged
        await().atMost(Duration.ofSeconds(20)).until(() -> book.lastRefusal().isPresent());
        ReloadReport refusal = book.lastRefusal().orElseThrow();
        assertThat(refusal.problems()).isNotEmpty();
        assertThat(refusal.problems()).allSatisfy(problem -> assertThat(problem.file()).isEqualTo("broken.drl"));
        assertThat(refusal.problems()).anySatisfy(problem -> assertThat(problem.line()).isEqualTo(5));
        assertThat(book.generation()).isEqualTo(before);
        assertThat(backupOnDisconnectedCluster().reason()).isEqualTo(Reason.CLUSTER_NOT_ACTIVE);

        // and when the file is fixed, the refusal is over
        Files.delete(rules.resolve("broken.drl"));
        await().atMost(Duration.ofSeconds(20)).until(() -> book.lastRefusal().isEmpty());
    }

    @Test
    void should_refuse_to_start_on_a_directory_that_does_not_compile() throws IOException {
        Files.writeString(rules.resolve("zz-broken.drl"), "package dev.backupstate.rules\nrule \"x\" when then\n");
        assertThatThrownBy(() -> RuleBook.load(rules))
                .isInstanceOf(RuleCompilationException.class)
                .satisfies(e -> assertThat(((RuleCompilationException) e).problems())
                        .anySatisfy(p -> assertThat(p.file()).isEqualTo("zz-broken.drl")));
    }

    @Test
    void should_refuse_a_reasons_file_that_declares_wrongly_with_its_lines() throws IOException {
        // given: a built-in code declared again, a 5xx answer, an unknown field, a duplicate and a bad name
        Files.writeString(rules.resolve("reasons.yaml"), String.join("\n",
                "reasons:",
                "  - {code: ACCESS_DENIED, http: 403}",
                "  - {code: QUIET_HOURS, http: 503}",
                "  - {code: LATE_NIGHT, http: 409, severity: high}",
                "  - {code: lower_case}",
                "  - {code: WEEKEND}",
                "  - {code: WEEKEND}",
                ""));

        // then
        assertThatThrownBy(() -> RuleBook.load(rules)).isInstanceOf(RuleCompilationException.class)
                .satisfies(e -> assertThat(((RuleCompilationException) e).problems()).extracting(RuleProblem::toString)
                        .anySatisfy(p -> assertThat(p).contains("reasons.yaml:2", "ACCESS_DENIED is built in"))
                        .anySatisfy(p -> assertThat(p).contains("reasons.yaml:3", "4xx"))
                        .anySatisfy(p -> assertThat(p).contains("reasons.yaml:4", "unknown field 'severity'"))
                        .anySatisfy(p -> assertThat(p).contains("reasons.yaml:5", "lower_case"))
                        .anySatisfy(p -> assertThat(p).contains("WEEKEND is declared twice")));
    }

    @Test
    void should_refuse_to_start_without_rules(@TempDir Path empty) {
        assertThatThrownBy(() -> RuleBook.load(empty)).isInstanceOf(RuleCompilationException.class)
                .hasMessageContaining("holds no .drl files");
    }

    @Test
    void should_report_runaway_rules_instead_of_deciding() throws IOException {
        // given a rule that re-activates itself forever
        write("runaway.drl", String.join("\n",
                "package dev.backupstate.rules",
                "import dev.backupstate.model.*;",
                "rule \"Forever\"",
                "when",
                "    $engine : Engine()",
                "then",
                "    delete($engine);",
                "    insert(new Engine($engine.mode()));",
                "end"));
        book.reload();

        // when an event is evaluated, then the cap stops it and names the rule
        assertThatThrownBy(this::backupOnDisconnectedCluster)
                .isInstanceOf(RunawayRulesException.class)
                .hasMessageContaining("\"Forever\"");
    }

    @Test
    void should_decide_every_event_entirely_by_one_generation_during_reloads() throws Exception {
        // given evaluations running on two threads
        String original = Files.readString(rules.resolve("backups.drl"));
        String tolerant = original.replace(GUARD,
                "Cluster(name == $cluster, state not in (ClusterState.ACTIVE, ClusterState.DISCONNECTED), $state : state)");
        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> outcomes = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<Integer>> evaluators = List.of(threads.submit(() -> evaluateUntil(running, outcomes)),
                threads.submit(() -> evaluateUntil(running, outcomes)));

        // when the rules are swapped back and forth underneath them
        for (int i = 0; i < 6; i++) {
            write("backups.drl", i % 2 == 0 ? tolerant : original);
            book.reload();
        }
        running.set(false);
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        // then every evaluation completed, with the outcome of one generation or the other
        for (Future<Integer> evaluator : evaluators) {
            assertThat(evaluator.get()).isPositive();
        }
        assertThat(outcomes).isSubsetOf("accepted", "rejected CLUSTER_NOT_ACTIVE");
    }

    private int evaluateUntil(AtomicBoolean running, Set<String> outcomes) {
        int evaluated = 0;
        while (running.get() || evaluated == 0) {
            Decision decision = backupOnDisconnectedCluster();
            outcomes.add(decision.accepted() ? "accepted" : "rejected " + decision.reason());
            evaluated++;
        }
        return evaluated;
    }
}
