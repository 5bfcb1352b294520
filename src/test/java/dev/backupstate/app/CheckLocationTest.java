package dev.backupstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@code bse check-location}, what the check Job runs: the verdict on stdout and in the termination message. */
class CheckLocationTest {

    @TempDir
    Path work;

    @Test
    void should_write_the_verdict_where_kubernetes_reads_it() throws Exception {
        int port = FreePort.find();
        try (SandboxObjectStore s3 = new SandboxObjectStore(work.resolve("s3"), port)) {
            s3.createBucket("fleet");
            String[] args = {"check-location", "--endpoint", "http://127.0.0.1:" + port, "--bucket", "fleet", "--prefix", "team"};

            // with an identity the store accepts, and one it does not know
            String valid = CheckLocation.verdict(args, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(SandboxObjectStore.ACCESS_KEY, SandboxObjectStore.SECRET_KEY)));
            String invalid = CheckLocation.verdict(args, StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "x")));

            assertThat(valid).isEqualTo("Valid");
            assertThat(invalid).isEqualTo("Invalid: access key unknown to the endpoint at step list");
        }
        // the command itself, with no identity on this host for that endpoint: Invalid, written to the termination log
        Path log = work.resolve("termination-log");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CheckLocation.run(new String[] {"check-location", "--endpoint", "http://127.0.0.1:" + FreePort.find(),
                "--bucket", "fleet"}, Map.of("BSE_TERMINATION_LOG", log.toString()), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(Files.readString(log)).startsWith("Invalid: ").isEqualTo(out.toString(StandardCharsets.UTF_8).strip());
    }
}
