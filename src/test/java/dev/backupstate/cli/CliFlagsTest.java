package dev.backupstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every flag of a write is checked before anything is sent: a bad one leaves no request behind. */
class CliFlagsTest {

    @TempDir
    Path home;

    @Test
    void should_refuse_a_timeout_without_its_unit_before_sending_the_request() throws Exception {
        // given an engine address that records any connection
        try (ServerSocket engine = new ServerSocket(0)) {
            engine.setSoTimeout(500);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Cli cli = new Cli(Map.of("BSE_CONFIG", home.resolve("config").toString(), "BSE_SERVER", "http://127.0.0.1:" + engine.getLocalPort(),
                    "BSE_TOKEN", "t"), new PrintStream(printed, true, StandardCharsets.UTF_8),
                    new BufferedReader(new StringReader("")), Clock.systemUTC());

            // when
            int status = cli.run(List.of("backup", "create", "orders-1", "--cluster", "c1", "--location", "l1", "--wait", "--timeout", "5"));

            // then: a usage error, and nobody called the engine
            assertThat(status).isEqualTo(Exit.USAGE.code);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--timeout: '5' is not a span such as 90s, 5m or 1h");
            assertThat(accepted(engine)).as("a connection to the engine").isFalse();
        }
    }

    private static boolean accepted(ServerSocket engine) {
        try (var ignored = engine.accept()) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
