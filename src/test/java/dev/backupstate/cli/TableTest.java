package dev.backupstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables that fit the terminal, ages as kubectl prints them, flags refused by name. */
class TableTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void should_fit_the_terminal_by_cutting_the_last_columns_first() throws Exception {
        // given: a backup whose cause is long
        JsonNode backup = new ObjectMapper().readTree("{\"name\":\"orders-1\",\"state\":\"Failure\",\"cluster\":\"prod-eu-1\","
                + "\"location\":\"team-a\",\"owner\":\"alice\",\"created\":\"2026-12-01T09:00:00Z\",\"cause\":\""
                + "x".repeat(200) + "\",\"labels\":{\"team\":\"shop\"}}");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // when: printed wide on an 80-column terminal
        Table.print(Table.columns("backups", true), List.of(backup), NOW, 80, new PrintStream(printed, true, StandardCharsets.UTF_8));

        // then: every line fits; the cut is shown; the short columns are whole
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2).allMatch(line -> line.length() <= 80);
        assertThat(lines.get(0)).startsWith("NAME      STATE    CLUSTER    LOCATION  OWNER  AGE");
        assertThat(lines.get(1)).contains("orders-1  Failure  prod-eu-1  team-a    alice  3h", "team=shop").endsWith("~");
    }

    @Test
    void should_print_ages_as_kubectl_does() {
        assertThat(Table.age(NOW.minusSeconds(45), NOW)).isEqualTo("45s");
        assertThat(Table.age(NOW.minusSeconds(12 * 60), NOW)).isEqualTo("12m");
        assertThat(Table.age(NOW.minusSeconds(5 * 3600), NOW)).isEqualTo("5h");
        assertThat(Table.age(NOW.minusSeconds(3 * 86400), NOW)).isEqualTo("3d");
    }

    @Test
    void should_refuse_an_unknown_flag_or_a_missing_value_by_name() {
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> Args.parse(List.of("b1", "--forse"),
                java.util.Set.of("--context"), java.util.Set.of("--force")), CliException.class))
                .satisfies(e -> {
                    assertThat(e.exit()).isEqualTo(Exit.USAGE);
                    assertThat(e.getMessage()).contains("unknown flag --forse", "--force");
                });
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> Args.parse(List.of("-l"),
                java.util.Set.of("--selector"), java.util.Set.of()), CliException.class).getMessage()).isEqualTo("--selector needs a value");
        assertThat(Args.parse(List.of("get", "-l", "tier=gold", "--output=json"), java.util.Set.of("--selector", "--output"),
                java.util.Set.of()).flag("--output")).isEqualTo("json");
        assertThat(Cli.timeout("90s")).hasSeconds(90);
    }
}
