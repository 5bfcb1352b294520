package dev.backupstate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules in ops staff's hands (issue 13), against a running engine on a copy of rules/: what is in force
 * (GET /api/v1/rules, health, metrics), a refused reload, a rule that throws while deciding, a dry run,
 * and a query parameter the API does not know.
 */
class RulesInForceIT {

    private static final String TOKEN = "sandbox-admin-token";

    @TempDir
    Path work;
    private Path rules;
    private TestEngine engine;
    private RestClient client;

    @BeforeEach
    void start() throws Exception {
        rules = copyOfRules(Path.of("rules"), work.resolve("rules"));
        engine = TestEngine.start(work.resolve("engine"), Map.of("bse.rules.directory", rules.toString()));
        client = new RestClient(engine.api());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private static String user(String requestId, String name) {
        return "kind: SetUserState\nmetadata: {requestId: " + requestId + "}\nspec: {user: " + name + ", state: Active, role: viewer}\n";
    }

    private JsonNode rulesNow() throws Exception {
        HttpResponse<String> answer = client.get(TOKEN, "/rules");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return RestClient.json(answer);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_show_the_rules_in_force_with_file_and_line_and_a_refused_reload() throws Exception {
        // given: the line of a rule as ops staff see it in their editor
        List<String> lines = Files.readAllLines(rules.resolve("backups.drl"));
        int line = lines.indexOf("rule \"A requested backup is created Pending and run on its cluster\"") + 1;

        // when
        JsonNode inForce = rulesNow();

        // then
        assertThat(inForce.path("generation").asLong()).isEqualTo(1);
        assertThat(inForce.path("hash").asText()).startsWith("sha256:");
        assertThat(inForce.path("files").toString()).contains("backups.drl", "clusters.drl");
        assertThat(inForce.path("lastRefusal").isNull()).isTrue();
        JsonNode rule = Stream.of(inForce.path("rules")).flatMap(all -> java.util.stream.StreamSupport.stream(all.spliterator(), false))
                .filter(r -> r.path("rule").asText().equals("A requested backup is created Pending and run on its cluster"))
                .findFirst().orElseThrow();
        assertThat(rule.path("file").asText()).isEqualTo("backups.drl");
        assertThat(rule.path("line").asInt()).isEqualTo(line);

        // and when a broken file lands in rules/
        Files.writeString(rules.resolve("broken.drl"), "package dev.backupstate.rules\n\nrule \"half\"\nwhen\n    Nonsense(\nthen\nend\n");

        // then: the reload is refused with file and line, health says DEGRADED, the metric counts it, the rules in force keep deciding
        await().atMost(Duration.ofSeconds(20)).until(() -> !rulesNow().path("lastRefusal").isNull());
        JsonNode refused = rulesNow();
        assertThat(refused.path("generation").asLong()).isEqualTo(1);
        assertThat(refused.path("lastRefusal").path("problems").get(0).path("file").asText()).isEqualTo("broken.drl");
        assertThat(refused.path("lastRefusal").path("problems").get(0).path("line").asInt()).isPositive();
        HttpResponse<String> health = get(engine.management() + "/observe/health");
        assertThat(health.body()).contains("DEGRADED", "broken.drl");
        assertThat(health.statusCode()).as("a monitor of /observe/health does not flap: the engine still decides").isEqualTo(200);
        assertThat(get(engine.management() + "/observe/health/ready").statusCode()).as("still ready: it keeps deciding").isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(engine.management() + "/observe/metrics").body())
                .contains("bse_rules_reload_refused_total 1.0", "bse_rules_generation 1.0"));
        // and `bse rules status` says the same
        var printed = new java.io.ByteArrayOutputStream();
        int status = dev.backupstate.app.RulesStatus.print(Map.of("BSE_SERVER", "http://127.0.0.1:" + engine.restPort, "BSE_TOKEN", TOKEN),
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("generation 1", "LAST RELOAD REFUSED", "broken.drl:");
        assertThat(status).as("non-zero while a reload is refused").isEqualTo(1);
        // and so does it in the configured context, as every verb of the command line runs, listing each rule where it is
        java.nio.file.Path contextFile = engine.runtime().rules().directory().getParent().resolve("bse-contexts");
        Map<String, String> contextEnv = Map.of("BSE_CONFIG", contextFile.toString());
        new dev.backupstate.cli.Contexts(contextEnv).set("here", "http://127.0.0.1:" + engine.restPort, TOKEN);
        var inContext = new java.io.ByteArrayOutputStream();
        int statusInContext = dev.backupstate.app.RulesStatus.print(contextEnv, "here",
                new java.io.PrintStream(inContext, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(inContext.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("generation 1", "LAST RELOAD REFUSED",
                "backups.drl:" + line + "  A requested backup is created Pending and run on its cluster");
        assertThat(statusInContext).isEqualTo(1);
        HttpResponse<String> decided = client.post(TOKEN, user("after-refusal", "erin"));
        assertThat(decided.statusCode()).isEqualTo(202);
        assertThat(RestClient.json(decided).path("generation").asLong()).isEqualTo(1);
        assertThat(engine.runtime().loop().store().auditOfRequest("after-refusal")).singleElement()
                .satisfies(entry -> assertThat(entry.generation()).isEqualTo(1));
    }

    @Test
    void should_refuse_with_rule_error_when_a_rule_throws_while_deciding() throws Exception {
        // given: a rule with a bad Reason.valueOf in its consequence
        Files.writeString(rules.resolve("faulty.drl"), """
                package dev.backupstate.rules

                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "A user named boom is refused with a reason that does not exist"
                when
                    SetUserState(user == "boom")
                then
                    insert(new Rejection(Reason.valueOf("NO_SUCH_REASON"), "never"));
                end
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> rulesNow().path("generation").asLong() == 2);

        // when
        HttpResponse<String> answer = client.post(TOKEN, user("boom-1", "boom"));

        // then: a refusal naming the rule, its file and line and the exception, audited, counted; nothing changed
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
        JsonNode outcome = RestClient.json(answer);
        assertThat(outcome.path("reason").asText()).isEqualTo("RULE_ERROR");
        assertThat(outcome.path("rule").asText()).isEqualTo("A user named boom is refused with a reason that does not exist");
        assertThat(outcome.path("message").asText()).contains("faulty.drl:6", "NO_SUCH_REASON");
        assertThat(engine.runtime().loop().store().auditOfRequest("boom-1")).singleElement()
                .satisfies(entry -> assertThat(entry.reason()).isEqualTo("RULE_ERROR"));
        assertThat(engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.USER, "boom"))).isEmpty();
        JsonNode inForce = rulesNow();
        assertThat(inForce.path("ruleErrors").path("A user named boom is refused with a reason that does not exist").asLong()).isEqualTo(1);
        assertThat(inForce.path("lastRuleError").path("line").asInt()).isEqualTo(6);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(engine.management() + "/observe/metrics").body())
                .contains("bse_rules_errors_total{rule=\"A user named boom is refused with a reason that does not exist\"} 1.0"));
        // and the other rules decide on
        assertThat(client.post(TOKEN, user("fine-1", "fine")).statusCode()).isEqualTo(202);
    }

    @Test
    void should_answer_a_dry_run_with_the_whole_decision_and_change_nothing() throws Exception {
        // when: a dry run of a new user, and of a delete the rules refuse
        HttpResponse<String> tried = client.post(TOKEN, "/requests?dryRun=true",
                HttpRequest.BodyPublishers.ofString(user("try-1", "frank")));
        HttpResponse<String> refused = client.post(TOKEN, "/requests?dryRun=true",
                HttpRequest.BodyPublishers.ofString("kind: DeleteBackup\nmetadata: {requestId: try-2}\nspec: {backup: nowhere}\n"));

        // then: the decision as it would be, and nothing committed, no request id used up
        assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
        JsonNode decision = RestClient.json(tried);
        assertThat(decision.path("dryRun").asBoolean()).isTrue();
        assertThat(decision.path("accepted").asBoolean()).isTrue();
        assertThat(decision.path("transitions").toString()).contains("users/frank");
        assertThat(decision.path("rulesFired").size()).isPositive();
        assertThat(decision.path("generation").asLong()).isEqualTo(1);
        assertThat(RestClient.json(refused).path("accepted").asBoolean()).isFalse();
        assertThat(RestClient.json(refused).path("refusals").get(0).path("reason").asText()).isEqualTo("RESOURCE_NOT_FOUND");
        assertThat(client.get(TOKEN, "/resources/users/frank").statusCode()).isEqualTo(404);
        assertThat(engine.runtime().loop().store().auditOfRequest("try-1")).as("audited as a dry run, nothing else")
                .singleElement().satisfies(entry -> assertThat(entry.dryRun()).isTrue());
        // and from the command line: --dry-run prints the decision and commits nothing; without it, the request acts
        Path document = work.resolve("gary.yaml");
        Files.writeString(document, user("cli-1", "gary"));
        var printed = new java.io.ByteArrayOutputStream();
        var out = new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("BSE_SERVER", "http://127.0.0.1:" + engine.restPort, "BSE_TOKEN", TOKEN);
        assertThat(dev.backupstate.app.Bse.request(List.of("--dry-run", document.toString()), env, out)).isZero();
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("dry run: nothing committed", "\"rulesFired\"");
        assertThat(client.get(TOKEN, "/resources/users/gary").statusCode()).isEqualTo(404);
        assertThat(dev.backupstate.app.Bse.request(List.of(document.toString()), env, out)).isZero();
        assertThat(client.get(TOKEN, "/resources/users/gary").statusCode()).isEqualTo(200);
        assertThat(client.post(TOKEN, user("try-1", "frank")).statusCode()).as("the request id is still free").isEqualTo(202);
    }

    @Test
    void should_give_an_attacker_nothing_through_a_dry_run() throws Exception {
        // when: a dry run in another user's name, and an operator's dry run of what only an admin may do
        HttpResponse<String> impersonated = client.post(TOKEN, "/requests?dryRun=true", HttpRequest.BodyPublishers.ofString(
                "kind: SetUserState\nmetadata: {requestId: imp-1, user: dev}\nspec: {user: mallory, state: Active, role: admin}\n"));
        HttpResponse<String> asOperator = client.post("sandbox-dev-token", "/requests?dryRun=true",
                HttpRequest.BodyPublishers.ofString(user("esc-1", "mallory")));
        HttpResponse<String> noToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(engine.api() + "/requests?dryRun=true"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(user("anon-1", "mallory"))).build(),
                HttpResponse.BodyHandlers.ofString());

        // then: the channel's identity decides, as for a real request; nothing is created either way
        assertThat(impersonated.statusCode()).isEqualTo(400);
        assertThat(impersonated.body()).contains("metadata.user");
        assertThat(asOperator.statusCode()).as(asOperator.body()).isEqualTo(200);
        assertThat(RestClient.json(asOperator).path("accepted").asBoolean()).isFalse();
        assertThat(RestClient.json(asOperator).path("refusals").toString()).contains("ACCESS_DENIED");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(client.get(TOKEN, "/resources/users/mallory").statusCode()).isEqualTo(404);
    }

    @Test
    void should_refuse_a_query_parameter_the_api_does_not_know() throws Exception {
        // when: a dry run misspelt, and a filter this API does not have
        HttpResponse<String> misspelt = client.post(TOKEN, "/requests?dryrun=true", HttpRequest.BodyPublishers.ofString(user("q-1", "gina")));
        HttpResponse<String> filter = client.get(TOKEN, "/resources/users?colour=red");
        HttpResponse<String> badValue = client.post(TOKEN, "/requests?dryRun=yes", HttpRequest.BodyPublishers.ofString(user("q-2", "gina")));

        // then: refused, naming the parameter; nothing acted
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(RestClient.json(misspelt).path("field").asText()).isEqualTo("dryrun");
        assertThat(misspelt.body()).contains("unknown query parameter 'dryrun'", "dryRun");
        assertThat(filter.statusCode()).isEqualTo(400);
        assertThat(filter.body()).contains("'colour'");
        assertThat(badValue.statusCode()).isEqualTo(400);
        assertThat(client.get(TOKEN, "/resources/users/gina").statusCode()).isEqualTo(404);
        assertThat(engine.runtime().loop().store().auditOfRequest("q-1")).isEmpty();
    }

    @Test
    void should_compare_shadow_rules_on_every_event_and_never_act_on_them() throws Exception {
        // given: a candidate rule set, the rules in force plus one refusal, beside them
        Path candidate = candidateRefusingZed();
        engine.close();
        engine = TestEngine.start(work.resolve("shadowed"), Map.of("bse.rules.directory", rules.toString(),
                "bse.rules.shadow-directory", candidate.toString()));
        client = new RestClient(engine.api());

        // when: one event the candidate decides otherwise, one it decides alike
        assertThat(client.post(TOKEN, user("zed-1", "zed")).statusCode()).isEqualTo(202);
        assertThat(client.post(TOKEN, user("yan-1", "yan")).statusCode()).isEqualTo(202);
        engine.runtime().loop().shadow().orElseThrow().drain(Duration.ofSeconds(10));

        // then: the disagreement is listed and counted; the rules in force acted, the candidate did not
        HttpResponse<String> answer = client.get(TOKEN, "/rules/shadow");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode report = RestClient.json(answer);
        assertThat(report.path("compared").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(report.path("disagreements").asLong()).isEqualTo(1);
        assertThat(report.path("byRule").path("A candidate rule refuses the user zed").asLong()).isEqualTo(1);
        JsonNode recent = report.path("recent").get(0);
        assertThat(recent.path("requestId").asText()).isEqualTo("zed-1");
        assertThat(recent.path("differences").toString()).contains("accepted -> rejected", "reason null -> ACCESS_DENIED");
        assertThat(client.get(TOKEN, "/resources/users/zed").statusCode()).as("the shadow never acts").isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(engine.management() + "/observe/metrics").body())
                .contains("bse_rules_shadow_disagreements_total{rule=\"A candidate rule refuses the user zed\"} 1.0"));
        // and without shadow rules the endpoint says so
        engine.close();
        engine = TestEngine.start(work.resolve("plain"), Map.of("bse.rules.directory", rules.toString()));
        assertThat(new RestClient(engine.api()).get(TOKEN, "/rules/shadow").statusCode()).isEqualTo(404);
    }

    @Test
    void should_refuse_with_a_reason_code_declared_in_rules_and_its_http_answer() throws Exception {
        // given: ops staff declare a code, and a rule that refuses with it
        Files.writeString(rules.resolve("reasons.yaml"), """
                reasons:
                  - code: CHANGE_FREEZE
                    http: 423
                    description: nothing changes during the year-end freeze
                """);
        Files.writeString(rules.resolve("freeze.drl"), """
                package dev.backupstate.rules

                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "Users are not changed during the freeze"
                when
                    SetUserState(user == "frozen")
                then
                    insert(new Rejection("CHANGE_FREEZE", "the year-end freeze is on"));
                end
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> rulesNow().path("generation").asLong() == 2);

        // when
        HttpResponse<String> answer = client.post(TOKEN, user("frozen-1", "frozen"));

        // then: the declared code, its HTTP answer, audited under it
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(423);
        JsonNode outcome = RestClient.json(answer);
        assertThat(outcome.path("reason").asText()).isEqualTo("CHANGE_FREEZE");
        assertThat(outcome.path("refusals").get(0).path("reason").asText()).isEqualTo("CHANGE_FREEZE");
        assertThat(engine.runtime().loop().store().auditOfRequest("frozen-1")).singleElement()
                .satisfies(entry -> assertThat(entry.reason()).isEqualTo("CHANGE_FREEZE"));
        assertThat(rulesNow().path("declaredReasons").toString()).contains("CHANGE_FREEZE", "423");

        // and when a rule uses a code nobody declared, the reload is refused with its file and line
        Files.writeString(rules.resolve("typo.drl"), """
                package dev.backupstate.rules

                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "A typo in a code"
                when
                    SetUserState(user == "typo")
                then
                    insert(new Rejection("CHANGE_FREZE", "typo"));
                end
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> !rulesNow().path("lastRefusal").isNull());
        JsonNode problem = rulesNow().path("lastRefusal").path("problems").get(0);
        assertThat(problem.path("file").asText()).isEqualTo("typo.drl");
        assertThat(problem.path("line").asInt()).isEqualTo(10);
        assertThat(problem.path("message").asText()).contains("'CHANGE_FREZE' is not declared", "reasons.yaml");
        assertThat(rulesNow().path("generation").asLong()).isEqualTo(2);
    }

    @Test
    void should_replay_recorded_decisions_with_other_rules_on_a_stopped_engines_database() throws Exception {
        // given: decisions recorded by the rules in force, and a candidate that would refuse one of them
        assertThat(client.post(TOKEN, user("zed-r", "zed")).statusCode()).isEqualTo(202);
        assertThat(client.post(TOKEN, user("yan-r", "yan")).statusCode()).isEqualTo(202);
        assertThat(client.post(TOKEN, "kind: DeleteBackup\nmetadata: {requestId: del-r}\nspec: {backup: nowhere}\n").statusCode()).isEqualTo(409);
        Path candidate = candidateRefusingZed();
        // the REST replay on the running engine: admins only
        engine.close();
        engine = TestEngine.start(work.resolve("engine"), Map.of("bse.rules.directory", rules.toString(),
                "bse.rules.shadow-directory", candidate.toString()));
        client = new RestClient(engine.api());
        HttpResponse<String> overRest = client.get(TOKEN, "/rules/replay?rules=shadow&kind=SetUserState");
        assertThat(overRest.statusCode()).as(overRest.body()).isEqualTo(200);
        assertThat(RestClient.json(overRest).path("changed").asLong()).isEqualTo(1);
        assertThat(RestClient.json(overRest).path("changes").get(0).path("requestId").asText()).isEqualTo("zed-r");
        assertThat(client.get("sandbox-dev-token", "/rules/replay").statusCode()).isEqualTo(403);
        engine.close();

        // when: the stopped engine's database is replayed with the candidate, from the command line
        var printed = new java.io.ByteArrayOutputStream();
        var out = new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8);
        dev.backupstate.app.Settings settings = dev.backupstate.app.Settings.load(Path.of("config/application.properties"),
                Map.of("bse.data.directory", work.resolve("engine").resolve("data").toString(), "bse.database.url", ""));
        int all = dev.backupstate.app.Bse.replay(new String[] {"rules", "replay", candidate.toString()}, settings, out);
        int deletes = dev.backupstate.app.Bse.replay(new String[] {"rules", "replay", candidate.toString(), "--kind", "DeleteBackup",
                "--since", "1h"}, settings, out);
        engine = TestEngine.start(work.resolve("after"), Map.of("bse.rules.directory", rules.toString()));

        // then: the one decision that would change, before and after, counted per rule; the rest unchanged
        String text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("would change", "SetUserState users/zed (request zed-r)",
                "accepted by \"", "->  rejected ACCESS_DENIED by \"A candidate rule refuses the user zed\"",
                "accepted -> rejected", "1  \"A candidate rule refuses the user zed\"");
        assertThat(text).doesNotContain("yan-r", "del-r");
        assertThat(all).as("some would change").isEqualTo(1);
        assertThat(deletes).as("no delete would change").isZero();
    }

    /** The rule files of {@code from}, copied into {@code to}. */
    private static Path copyOfRules(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    /** The rules in force plus one rule that refuses the user zed: a candidate that disagrees once. */
    private Path candidateRefusingZed() throws Exception {
        Path candidate = copyOfRules(rules, work.resolve("candidate-zed"));
        Files.writeString(candidate.resolve("candidate.drl"), """
                package dev.backupstate.rules

                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "A candidate rule refuses the user zed"
                when
                    SetUserState(user == "zed")
                then
                    insert(new Rejection(Reason.ACCESS_DENIED, "zed may not be set"));
                end
                """);
        return candidate;
    }
}
