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
}
