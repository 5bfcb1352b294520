package dev.backupstate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's CLI (issue 14) against a running engine on the sandbox (Federated): each verb with its
 * table and JSON output and exit code, a refused delete explained, bulk suspend by label, --wait, --dry-run,
 * contexts with the token never printed, and a request id reused when a command is run again after the
 * engine did not answer.
 */
class CliIT {

    private static final String TOKEN = "sandbox-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private TestEngine engine;
    private final int port = FreePort.find();
    private Map<String, String> env;

    /** One command's exit code and what it printed. */
    record Ran(int exit, String out) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() {
        env = new HashMap<>(Map.of("BSE_CONFIG", work.resolve("home/.bse/config").toString(), "COLUMNS", "100"));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    private void startEngine() throws Exception {
        engine = TestEngine.start(work.resolve("engine"), Map.of(
                "bse.mode", "Federated",
                "bse.sandbox.enabled", "true",
                "camel.server.port", String.valueOf(port),
                "bse.leader.address", "http://127.0.0.1:" + port,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.follow-period-millis", "200"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "Valid".equals(new RestClient("http://127.0.0.1:" + port + "/api/v1")
                .get(TOKEN, "/resources/backup-locations/sandbox").body().contains("\"Valid\"") ? "Valid" : ""));
    }

    private Ran bse(String... words) {
        return withInput("", words);
    }

    private Ran withInput(String stdin, String... words) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new Cli(env, new PrintStream(printed, true, StandardCharsets.UTF_8), new BufferedReader(new StringReader(stdin)),
                Clock.systemUTC()).run(List.of(words));
        return new Ran(exit, printed.toString(StandardCharsets.UTF_8));
    }

    private void context() {
        Ran set = withInput(TOKEN + "\n", "config", "set-context", "sandbox", "--server", "http://127.0.0.1:" + port, "--token-stdin");
        assertThat(set.exit()).as(set.out()).isZero();
    }

    @Test
    void should_keep_contexts_in_a_private_file_and_never_print_the_token() throws Exception {
        // when
        context();
        Ran contexts = bse("config", "get-contexts");

        // then
        assertThat(contexts.exit()).isZero();
        assertThat(contexts.out()).contains("sandbox", "(set)").doesNotContain(TOKEN);
        assertThat(bse("config", "current-context").out().trim()).isEqualTo("sandbox");
        assertThat(Files.getPosixFilePermissions(work.resolve("home/.bse/config")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(bse("config", "use-context", "prod").exit()).isEqualTo(Exit.NOT_FOUND.code);
        assertThat(bse("config", "set-context", "bad name!").exit()).isEqualTo(Exit.USAGE.code);
    }

    @Test
    void should_run_a_day_with_the_cli() throws Exception {
        startEngine();
        context();

        // get: a table that fits the terminal, and JSON (west's check, refused by its bucket, has given its verdict)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bse("get", "connections").out()).contains("sandbox-west  Invalid"));
        Ran connections = bse("get", "connections");
        assertThat(connections.exit()).isZero();
        assertThat(connections.out().lines().toList()).first().asString().startsWith("LOCATION  CLUSTER");
        assertThat(connections.out()).contains("sandbox-west  Invalid");
        assertThat(connections.out().lines()).allMatch(line -> line.length() <= 100);
        JsonNode clusters = bse("get", "clusters", "-o", "json").json();
        assertThat(clusters.findValuesAsText("name")).contains("sandbox-east", "sandbox-west");

        // a backup, waited for
        Ran backup = bse("backup", "create", "orders-1", "--cluster", "sandbox-east", "--location", "sandbox",
                "--namespaces", "shop", "--labels", "team=shop", "--wait", "--timeout", "60s");
        assertThat(backup.exit()).as(backup.out()).isZero();
        assertThat(backup.out()).contains("accepted (request cli-", "backups/orders-1: Success");
        assertThat(bse("get", "backups", "-l", "team=shop", "-o", "json").json().findValuesAsText("name")).containsExactly("orders-1");
        assertThat(bse("get", "backups", "-l", "team=other").out()).contains("No backups found.");

        // describe: eligible clusters, deletability
        Ran location = bse("describe", "location", "sandbox");
        assertThat(location.out()).contains("Eligible:        sandbox-east").containsPattern("sandbox-west +Active +Invalid +no");

        // the eligible cluster goes down: a delete is refused, and says why, in a dry run and for real
        new RestClient("http://127.0.0.1:" + port + "/api/v1").post(TOKEN, "/sandbox/clusters/sandbox-east/down",
                java.net.http.HttpRequest.BodyPublishers.noBody());
        await().atMost(Duration.ofSeconds(20)).until(() -> bse("get", "clusters", "sandbox-east").out().contains("Not Available"));
        Ran dryRun = bse("backup", "delete", "orders-1", "--dry-run");
        assertThat(dryRun.exit()).isEqualTo(Exit.REFUSED.code);
        assertThat(dryRun.out()).contains("nothing was done", "would be refused: NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED",
                "rule \"A Federated delete needs an eligible cluster\"");
        Ran refused = bse("backup", "delete", "orders-1");
        assertThat(refused.exit()).isEqualTo(Exit.REFUSED.code);
        assertThat(refused.out()).contains("refused (request cli-", "NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED",
                "force delete removes the catalog entry and leaves the data");
        Ran described = bse("describe", "backup", "orders-1");
        assertThat(described.exit()).isZero();
        assertThat(described.out()).contains("Deletable now:   no: NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED", "History:", "CreateBackup",
                "DeleteBackup");
        assertThat(bse("describe", "backup", "orders-1", "-o", "json").json().at("/deletability/reason").asText())
                .isEqualTo("NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED");

        // back up: the same delete is accepted and waited for until the backup is gone
        new RestClient("http://127.0.0.1:" + port + "/api/v1").post(TOKEN, "/sandbox/clusters/sandbox-east/up",
                java.net.http.HttpRequest.BodyPublishers.noBody());
        await().atMost(Duration.ofSeconds(30)).until(() -> bse("describe", "backup", "orders-1").out().contains("yes, by cluster sandbox-east"));
        Ran deleted = bse("backup", "delete", "orders-1", "--wait", "--timeout", "60s");
        assertThat(deleted.exit()).as(deleted.out()).isZero();
        assertThat(deleted.out()).contains("backups/orders-1: gone");
        assertThat(bse("get", "backups", "orders-1").exit()).isEqualTo(Exit.NOT_FOUND.code);

        // schedules, suspended in bulk by label
        Files.writeString(work.resolve("policy.yaml"), "kind: CreateSchedulePolicy\nmetadata: {requestId: p-1}\n"
                + "spec: {name: nightly, type: Daily, time: \"02:00\", retain: 7, timeZone: Europe/Berlin}\n");
        assertThat(new RestClient("http://127.0.0.1:" + port + "/api/v1").post(TOKEN, Files.readString(work.resolve("policy.yaml")))
                .statusCode()).isEqualTo(202);
        for (String[] schedule : new String[][] {{"gold-a", "gold"}, {"gold-b", "gold"}, {"silver-a", "silver"}}) {
            Ran created = bse("schedule", "create", schedule[0], "--cluster", "sandbox-east", "--location", "sandbox",
                    "--policy", "nightly", "--namespaces", "shop", "--labels", "tier=" + schedule[1]);
            assertThat(created.exit()).as(created.out()).isZero();
        }
        Ran suspended = bse("schedule", "suspend", "-l", "tier=gold", "--wait");
        assertThat(suspended.exit()).as(suspended.out()).isZero();
        assertThat(suspended.out()).contains("2 schedules matched tier=gold");
        JsonNode schedules = bse("get", "schedules", "-o", "json").json();
        assertThat(schedules.findValues("state").stream().map(JsonNode::asText)).containsExactly("Suspended", "Suspended", "Active");
        // the leader registers the trigger from the outbox, moments after the schedule is created
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(bse("describe", "schedule", "silver-a").out())
                .contains("Time zone:       Europe/Berlin").containsPattern("Next runs: +2\\d{3}-\\d\\d-\\d\\dT02:00\\+0[12]:00"));
        assertThat(bse("schedule", "resume", "gold-a").exit()).isZero();

        // a location validated, a sync triggered, a restore waited for, a cluster removed
        assertThat(bse("location", "validate", "sandbox", "--wait").exit()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> bse("describe", "location", "sandbox").out().contains("Eligible:        sandbox-east"));
        assertThat(bse("sync", "trigger", "sandbox").out()).contains("TriggerSync syncs/sandbox accepted");
        Ran backup2 = bse("backup", "create", "orders-2", "--cluster", "sandbox-east", "--location", "sandbox", "--namespaces", "shop", "--wait");
        assertThat(backup2.exit()).as(backup2.out()).isZero();
        Ran restore = bse("restore", "create", "r-1", "--from-backup", "orders-2", "--cluster", "sandbox-east", "--wait");
        assertThat(restore.exit()).as(restore.out()).isZero();
        assertThat(restore.out()).contains("restores/r-1: Success");
        Ran added = bse("cluster", "add", "extra", "--kubeconfig", "secret:kube-system/extra", "--wait", "--timeout", "30s");
        assertThat(added.exit()).as("no such secret: the probe says Disconnected, a failed end state").isEqualTo(Exit.REFUSED.code);
        assertThat(bse("cluster", "remove", "extra", "--wait").exit()).isZero();

        // bad input: a specific message and exit code, nothing sent
        assertThat(bse("get", "volumes").exit()).isEqualTo(Exit.USAGE.code);
        Ran badFlag = bse("backup", "create", "x", "--cluster", "c", "--location", "l", "--colour", "red");
        assertThat(badFlag.exit()).isEqualTo(Exit.USAGE.code);
        assertThat(badFlag.out()).contains("unknown flag --colour");
        Ran badState = bse("get", "backups", "--state", "Sleeping");
        assertThat(badState.exit()).isEqualTo(Exit.USAGE.code);
        assertThat(badState.out()).contains("'Sleeping' is not a state of backups");
        Ran badName = bse("backup", "create", "Not_A_Name", "--cluster", "sandbox-east", "--location", "sandbox");
        assertThat(badName.exit()).isEqualTo(Exit.USAGE.code);
        assertThat(badName.out()).contains("spec.name");
        env.put("BSE_TOKEN", "not-a-token");
        env.put("BSE_SERVER", "http://127.0.0.1:" + port);
        assertThat(bse("get", "backups").exit()).isEqualTo(Exit.DENIED.code);
    }

    @Test
    void should_reuse_the_request_id_when_a_command_is_run_again_after_no_answer() throws Exception {
        // given: a context for an engine that is not up yet
        context();

        // when: the command finds no engine
        Ran unanswered = bse("backup", "create", "orders-9", "--cluster", "sandbox-east", "--location", "sandbox", "--namespaces", "shop");

        // then: exit 3, and the id it made is kept for the retry
        assertThat(unanswered.exit()).as(unanswered.out()).isEqualTo(Exit.UNREACHABLE.code);
        assertThat(unanswered.out()).contains("does not answer", "the same request id is reused");
        try (var pending = Files.list(work.resolve("home/.bse/pending"))) {
            assertThat(pending.toList()).hasSize(1);
        }
        String kept;
        try (var pending = Files.list(work.resolve("home/.bse/pending"))) {
            kept = Files.readString(pending.findFirst().orElseThrow()).trim();
        }

        // and when the engine is up and the same command is run again
        startEngine();
        Ran retried = bse("backup", "create", "orders-9", "--cluster", "sandbox-east", "--location", "sandbox", "--namespaces", "shop");

        // then: it goes with the kept id, once; the marker is gone; a third run is answered with the first outcome, not a second backup
        assertThat(retried.exit()).as(retried.out()).isZero();
        Matcher id = Pattern.compile("request (cli-[0-9a-f-]+)").matcher(retried.out());
        assertThat(id.find()).isTrue();
        assertThat(id.group(1)).isEqualTo(kept);
        try (var pending = Files.list(work.resolve("home/.bse/pending"))) {
            assertThat(pending.toList()).isEmpty();
        }
        Ran again = bse("backup", "create", "orders-9", "--cluster", "sandbox-east", "--location", "sandbox", "--namespaces", "shop",
                "--request-id", kept);
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(engine.runtime().loop().store().auditOfRequest(kept)).hasSize(1);
    }
}
