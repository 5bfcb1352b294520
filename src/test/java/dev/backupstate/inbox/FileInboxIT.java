package dev.backupstate.inbox;

import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file drop, end to end: the routes of routes/, the rules of rules/, the embedded database. */
class FileInboxIT {

    @TempDir
    Path work;
    private Path inbox;
    private Path outbox;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        // admin's own folders: the folder is who asks
        inbox = work.resolve("inbox").resolve("admin");
        outbox = work.resolve("outbox").resolve("admin");
        engine = TestEngine.start(work);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    /** Drops a file the way a careful client does: written beside the inbox, then moved in. */
    private void drop(String name, byte[] content) throws IOException {
        Files.createDirectories(inbox);
        Path temp = Files.write(work.resolve(name + ".tmp"), content);
        Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private void drop(String name, String content) throws IOException {
        drop(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private JsonNode outcomeOf(String name) throws IOException {
        Path outcome = outbox.resolve(name + ".outcome.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(outcome));
        return Json.json().readTree(Files.readString(outcome));
    }

    @Test
    void should_decide_a_dropped_document_and_file_it_as_done() throws Exception {
        drop("add-cluster.yaml", """
                apiVersion: backupstate.dev/v1
                kind: AddCluster
                metadata: {requestId: add-c1, user: admin}
                spec: {name: c1, kubeconfig: "secret:kube-system/c1"}
                """);

        JsonNode outcome = outcomeOf("add-cluster.yaml");

        assertThat(outcome.get("accepted").asBoolean()).isTrue();
        assertThat(outcome.get("requestId").asText()).isEqualTo("add-c1");
        assertThat(outcome.get("transitions").get(0).asText()).isEqualTo("clusters/c1: created Pending");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".done/add-cluster.yaml")));
    }

    @Test
    void should_file_a_rule_rejection_as_done_with_its_reason() throws Exception {
        // a folder someone made for a user the engine does not know
        Path strangers = Files.createDirectories(work.resolve("inbox").resolve("mallory"));
        Path temp = Files.writeString(work.resolve("by-stranger.tmp"), """
                {"kind": "AddCluster", "metadata": {"requestId": "x1"},
                 "spec": {"name": "c1", "kubeconfig": "secret:kube-system/c1"}}
                """);
        Files.move(temp, strangers.resolve("by-stranger.json"), StandardCopyOption.ATOMIC_MOVE);

        Path outcomeFile = work.resolve("outbox").resolve("mallory").resolve("by-stranger.json.outcome.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(outcomeFile));
        JsonNode outcome = Json.json().readTree(Files.readString(outcomeFile));

        assertThat(outcome.get("accepted").asBoolean()).isFalse();
        assertThat(outcome.get("reason").asText()).isEqualTo("USER_NOT_ACTIVE");
        assertThat(outcome.get("rule").asText()).isEqualTo("An inactive or unknown user cannot act");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(strangers.resolve(".done/by-stranger.json")));
    }

    @Test
    void should_answer_malformed_and_binary_files_naming_the_problem_and_file_them_as_failed() throws Exception {
        drop("broken.yaml", "kind: DeleteBackup\nspec: {backup: [b1\n");
        drop("missing-field.yaml", "kind: DeleteBackup\nmetadata: {user: admin}\nspec: {force: true}\n");
        drop("image.yaml", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});

        assertThat(outcomeOf("broken.yaml").get("message").asText()).contains("malformed YAML at line");
        assertThat(outcomeOf("missing-field.yaml").get("message").asText()).isEqualTo("spec.backup: is required");
        assertThat(outcomeOf("image.yaml").get("message").asText()).contains("binary");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".failed/broken.yaml"))
                && Files.exists(inbox.resolve(".failed/missing-field.yaml"))
                && Files.exists(inbox.resolve(".failed/image.yaml")));
    }

    @Test
    void should_act_once_when_the_same_request_is_dropped_twice() throws Exception {
        String document = "kind: AddCluster\nmetadata: {requestId: once, user: admin}\nspec: {name: c2, kubeconfig: 'secret:kube-system/c2'}\n";
        drop("first.yaml", document);
        JsonNode first = outcomeOf("first.yaml");

        drop("second.yaml", document);
        JsonNode second = outcomeOf("second.yaml");

        assertThat(second).isEqualTo(first);
        assertThat(first.get("accepted").asBoolean()).isTrue();
    }
}
