package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operators' command: bse rules test [DIR] and bse rules check [DIR]. */
class BseTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void should_pass_the_projects_own_scenarios() {
        int status = Bse.run(new String[] {"rules", "test", "rules"}, out);

        assertThat(output()).contains("PASS  A running backup cannot be deleted").containsPattern("scenarios: \\d+ passed, 0 failed");
        assertThat(status).isZero();
    }

    @Test
    void should_print_the_difference_when_a_scenario_fails(@TempDir Path dir) throws IOException {
        // given the project's rules and one scenario that expects the wrong thing
        Files.createDirectories(dir.resolve("scenarios"));
        try (var drls = Files.list(Path.of("rules"))) {
            for (Path drl : drls.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, dir.resolve(drl.getFileName()));
            }
        }
        Files.writeString(dir.resolve("scenarios/wrong.yaml"), """
                scenarios:
                  - name: Expects a running backup to be deletable
                    given:
                      mode: Classic
                      clusters: [{name: c1, state: Active}]
                      locations: [{name: l1, state: Valid}]
                      backups: [{name: b1, cluster: c1, location: l1, state: In-Progress, owner: alice}]
                    when: {kind: DeleteBackup, user: alice, spec: {backup: b1}}
                    then: {accepted: true}
                """);

        int status = Bse.run(new String[] {"rules", "test", dir.toString()}, out);

        assertThat(output()).contains("FAIL  Expects a running backup to be deletable")
                .contains("expected accepted, got rejected BACKUP_IN_PROGRESS by \"A running backup cannot be deleted\"")
                .contains("scenarios: 0 passed, 1 failed")
                // and the whole decision beside it
                .contains("decided: rejected BACKUP_IN_PROGRESS by \"A running backup cannot be deleted\"")
                .contains("refused BACKUP_IN_PROGRESS by \"A running backup cannot be deleted\": backup b1 is In-Progress")
                .contains("rules fired: [");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void should_name_a_declared_reason_code_in_the_decision_beside_a_failed_scenario(@TempDir Path dir) throws IOException {
        // given the project's rules, a declared code, a rule that refuses with it, and a scenario that expects acceptance
        Files.createDirectories(dir.resolve("scenarios"));
        try (var drls = Files.list(Path.of("rules"))) {
            for (Path drl : drls.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, dir.resolve(drl.getFileName()));
            }
        }
        Files.writeString(dir.resolve("reasons.yaml"), """
                reasons:
                  - code: CHANGE_FREEZE
                    http: 423
                    description: nothing changes during the year-end freeze
                """);
        Files.writeString(dir.resolve("freeze.drl"), """
                package dev.backupstate.rules

                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "Nothing is deleted during the freeze"
                when
                    DeleteBackup()
                then
                    insert(new Rejection("CHANGE_FREEZE", "the year-end freeze"));
                end
                """);
        Files.writeString(dir.resolve("scenarios/freeze.yaml"), """
                scenarios:
                  - name: Expects a delete during the freeze
                    given:
                      mode: Classic
                      clusters: [{name: c1, state: Active}]
                      locations: [{name: l1, state: Valid}]
                      backups: [{name: b1, cluster: c1, location: l1, state: Success, owner: alice}]
                    when: {kind: DeleteBackup, user: alice, spec: {backup: b1}}
                    then: {accepted: true}
                """);

        // when
        int status = Bse.run(new String[] {"rules", "test", dir.toString()}, out);

        // then: the code ops staff declared, never the internal DECLARED
        assertThat(output()).contains("refused CHANGE_FREEZE by \"Nothing is deleted during the freeze\": the year-end freeze")
                .doesNotContain("DECLARED");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void should_list_the_rules_no_scenario_fires_and_fail_on_them_when_coverage_is_required(@TempDir Path dir) throws IOException {
        // given the project's rules, one more rule, and one scenario
        Files.createDirectories(dir.resolve("scenarios"));
        try (var drls = Files.list(Path.of("rules"))) {
            for (Path drl : drls.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, dir.resolve(drl.getFileName()));
            }
        }
        Files.writeString(dir.resolve("extra.drl"), """
                package dev.backupstate.rules

                import dev.backupstate.model.*;
                import dev.backupstate.model.Request.*;

                rule "Nobody tests this one"
                when
                    RemoveCluster(name == "never")
                then
                    insert(new AuditNote("untested"));
                end
                """);
        Files.copy(Path.of("rules/scenarios/backups.yaml"), dir.resolve("scenarios/backups.yaml"));

        // when
        int plain = Bse.run(new String[] {"rules", "test", dir.toString()}, out);
        int strict = Bse.run(new String[] {"rules", "test", dir.toString(), "--require-coverage"}, out);

        // then: the silent rules are listed with file and line; only --require-coverage fails on them
        assertThat(output()).contains("rules no scenario fires:").contains("extra.drl:6  Nobody tests this one");
        assertThat(plain).isZero();
        assertThat(strict).isEqualTo(1);
    }

    @Test
    void should_cover_every_rule_of_the_project_with_its_scenarios() {
        int status = Bse.run(new String[] {"rules", "test", "rules", "--require-coverage"}, out);

        assertThat(output()).contains("coverage: every rule fires in some scenario");
        assertThat(status).isZero();
    }

    @Test
    void should_list_each_rule_with_file_and_line() throws IOException {
        int line = Files.readAllLines(Path.of("rules/backups.drl")).indexOf("rule \"A running backup cannot be deleted\"") + 1;

        int status = Bse.run(new String[] {"rules", "check", "rules"}, out);

        assertThat(output()).contains("backups.drl:" + line + "  A running backup cannot be deleted");
        assertThat(status).isZero();
    }

    @Test
    void should_name_file_and_line_of_rules_that_do_not_compile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.drl"), "package dev.backupstate.rules\n\nrule \"x\" when then\n");

        int status = Bse.run(new String[] {"rules", "check", dir.toString()}, out);

        assertThat(output()).contains("RULES REFUSED").contains("bad.drl:");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void should_explain_its_usage() {
        assertThat(Bse.run(new String[] {"rules"}, out)).isEqualTo(2);
        assertThat(output()).contains("usage: bse run").contains("bse rules test [DIR]");
    }
}
