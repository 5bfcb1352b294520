package dev.backupstate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contexts and the request ids kept for a retry. */
class ContextsTest {

    @TempDir
    Path home;

    @Test
    void should_let_the_environment_win_and_pick_a_named_context() {
        Map<String, String> env = Map.of("BSE_CONFIG", home.resolve("config").toString());
        Contexts contexts = new Contexts(env);
        contexts.set("prod", "https://bse.example.org/", "prod-token");
        contexts.set("lab", "http://127.0.0.1:8080", "lab-token");

        assertThat(contexts.resolve(null).name()).as("the first set is current").isEqualTo("prod");
        assertThat(contexts.resolve(null).server()).isEqualTo("https://bse.example.org");
        assertThat(contexts.resolve("lab").token()).isEqualTo("lab-token");
        assertThat(new Contexts(Map.of("BSE_CONFIG", env.get("BSE_CONFIG"), "BSE_TOKEN", "ci-token")).resolve(null).token()).isEqualTo("ci-token");
        assertThat(catchThrowableOfType(() -> contexts.resolve("staging"), CliException.class).exit()).isEqualTo(Exit.USAGE);
        assertThat(catchThrowableOfType(() -> contexts.set("lab", "ftp://x", null), CliException.class).getMessage()).contains("--server");
        assertThat(contexts.list()).allMatch(row -> row.get("token").equals("(set)"));
    }

    @Test
    void should_reuse_the_request_id_of_an_unanswered_document_until_it_is_answered() throws Exception {
        Api api = new Api(new Contexts.Context("prod", "https://bse.example.org", "t"), home.resolve("pending"));
        String document = "kind: DeleteBackup\nspec: {backup: b1}\n";

        String first = api.requestId(document);
        String retried = api.requestId(document);
        String other = api.requestId("kind: DeleteBackup\nspec: {backup: b2}\n");
        api.answered(document);
        String next = api.requestId(document);

        assertThat(retried).isEqualTo(first).startsWith("cli-");
        assertThat(other).isNotEqualTo(first);
        assertThat(next).as("answered: a new command gets a new id").isNotEqualTo(first);
        assertThat(Files.list(home.resolve("pending")).count()).isEqualTo(2);
        Api elsewhere = new Api(new Contexts.Context("lab", "http://127.0.0.1:8080", "t"), home.resolve("pending"));
        assertThat(elsewhere.requestId(document)).as("another context").isNotEqualTo(next);
    }

    @Test
    void should_refuse_bse_server_beside_a_context_for_another_server_naming_both() {
        Map<String, String> env = Map.of("BSE_CONFIG", home.resolve("config").toString());
        new Contexts(env).set("prod", "https://bse.example.org", "prod-token");

        CliException refused = catchThrowableOfType(() -> new Contexts(Map.of("BSE_CONFIG", env.get("BSE_CONFIG"),
                "BSE_SERVER", "http://other.example.org:8080")).resolve(null), CliException.class);
        Contexts.Context same = new Contexts(Map.of("BSE_CONFIG", env.get("BSE_CONFIG"), "BSE_SERVER", "https://bse.example.org/"))
                .resolve(null);

        assertThat(refused.exit()).isEqualTo(Exit.USAGE);
        assertThat(refused.getMessage()).contains("http://other.example.org:8080", "https://bse.example.org", "prod");
        assertThat(same.token()).as("the same server: the context's token may go").isEqualTo("prod-token");
    }

    @Test
    void should_keep_its_directory_to_its_owner_and_warn_of_a_token_in_clear_to_another_host() throws Exception {
        Path dir = home.resolve("dot-bse");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.io.ByteArrayOutputStream warned = new java.io.ByteArrayOutputStream();
        Contexts contexts = new Contexts(Map.of("BSE_CONFIG", dir.resolve("config").toString()))
                .warnTo(new java.io.PrintStream(warned, true, java.nio.charset.StandardCharsets.UTF_8));

        contexts.set("far", "http://bse.example.org:8080", "t");
        contexts.set("near", "http://127.0.0.1:8080", "t");
        contexts.resolve("near");
        String nearWarnings = warned.toString(java.nio.charset.StandardCharsets.UTF_8);
        contexts.resolve("far");

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(nearWarnings).isEmpty();
        assertThat(warned.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("plain HTTP", "http://bse.example.org:8080");
        assertThat(Contexts.loopbackOrTls("https://bse.example.org")).isTrue();
    }

    @Test
    void should_print_what_the_engine_said_without_the_terminal_obeying_it() {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = TerminalSafe.wrap(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));

        out.println("cause: \u001b]0;owned\u0007\u001b[2Jgone\rforged\u009b31m ok\tcafé");

        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("cause: ]0;owned[2Jgoneforged31m ok\tcafé" + System.lineSeparator());
    }
}
