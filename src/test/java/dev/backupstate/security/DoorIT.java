package dev.backupstate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Source;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import static dev.backupstate.testing.RestClient.json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's tests (issue 10): an outside user with nothing but a non-admin token, or a file in
 * the drop folder, tries each finding through the public doors, and the engine refuses, naming why,
 * with the catalog unchanged. The broker's door is {@link BrokerDoorIT}, the buckets' {@link BucketDoorIT}.
 */
class DoorIT {

    private static final String ADMIN = "sandbox-admin-token";
    private static final String DEV = "sandbox-dev-token";

    @TempDir
    Path work;
    private TestEngine engine;
    private RestClient rest;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngine.start(work, Map.of("bse.documents.max-bytes", "65536"));
        rest = new RestClient(engine.api());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    // --- 1. command execution and file reads through kubeconfigs --------------------------------------

    @Test
    void should_refuse_a_kubeconfig_that_runs_a_command_and_run_nothing() throws Exception {
        Path marker = work.resolve("pwned");
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters: [{name: x, cluster: {server: "https://127.0.0.1:1"}}]
                users:
                - name: x
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, "touch %s"]}
                contexts: [{name: x, context: {cluster: x, user: x}}]
                current-context: x
                """.formatted(marker);
        String document = "kind: AddCluster\nspec:\n  name: evil\n  kubeconfig: |\n"
                + kubeconfig.indent(4);

        HttpResponse<String> answer = rest.post(ADMIN, document);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer).get("field").asText()).isEqualTo("spec.kubeconfig.users[0].user.exec");
        assertThat(json(answer).get("error").asText()).contains("'/bin/sh' is not on the admins' allow-list");
        assertThat(engine.runtime().loop().catalog().all(ResourceKind.CLUSTER)).isEmpty();
        assertThat(marker).doesNotExist();
    }

    @Test
    void should_refuse_auth_provider_plugins_token_files_and_file_references() throws Exception {
        String authProvider = "kind: AddCluster\nspec: {name: evil, kubeconfig: \"users: [{name: x, user: {auth-provider: "
                + "{name: gcp, config: {cmd-path: /bin/sh}}}}]\"}\n";
        String tokenFile = "kind: AddCluster\nspec: {name: evil, kubeconfig: \"users: [{name: x, user: {tokenFile: /etc/shadow}}]\"}\n";
        String caFile = "kind: AddCluster\nspec: {name: evil, kubeconfig: \"clusters: [{name: x, cluster: {server: 'https://x', "
                + "certificate-authority: /etc/passwd}}]\"}\n";

        assertThat(json(rest.post(ADMIN, authProvider)).get("field").asText()).isEqualTo("spec.kubeconfig.users[0].user.auth-provider");
        assertThat(json(rest.post(ADMIN, tokenFile)).get("field").asText()).isEqualTo("spec.kubeconfig.users[0].user.tokenFile");
        assertThat(json(rest.post(ADMIN, caFile)).get("field").asText())
                .isEqualTo("spec.kubeconfig.clusters[0].cluster.certificate-authority");
        // an existing and a missing file get the same answer: the door tells nothing of the disk
        HttpResponse<String> existing = rest.post(ADMIN, "kind: AddCluster\nspec: {name: evil, kubeconfig: 'file:/etc/passwd'}\n");
        HttpResponse<String> missing = rest.post(ADMIN, "kind: AddCluster\nspec: {name: evil, kubeconfig: 'file:/no/such/file'}\n");
        assertThat(existing.statusCode()).isEqualTo(400);
        assertThat(json(existing).get("error").asText()).contains("file: references are off")
                .isEqualTo(json(missing).get("error").asText());
        assertThat(engine.runtime().loop().catalog().all(ResourceKind.CLUSTER)).isEmpty();
    }

    // --- 2. forged observations ------------------------------------------------------------------------

    @Test
    void should_take_no_observation_from_a_person_through_any_inbox() throws Exception {
        // given: a cluster the engine knows to be down
        engine.runtime().loop().submit(new Envelope("add-down", "admin", Source.REST, Instant.now(),
                new Request.AddCluster("down", "secret:kube-system/down")));
        engine.runtime().loop().submit(new Envelope("probe-down", "engine", Source.OBSERVATION, Instant.now(),
                new Observation.ClusterProbed("down", ClusterState.NOT_AVAILABLE, "connect timed out")));
        String forged = "kind: ClusterProbed\nspec: {cluster: down, observed: Active}\n";

        HttpResponse<String> overRest = rest.post(DEV, forged);
        JsonNode overFile = dropAndAwait("dev", "forged.yaml", forged);

        assertThat(overRest.statusCode()).isEqualTo(400);
        assertThat(json(overRest).get("error").asText()).contains("only the engine reports observations");
        assertThat(overFile.get("reason").asText()).isEqualTo("INVALID_DOCUMENT");
        assertThat(overFile.get("message").asText()).contains("only the engine reports observations");
        assertThat(json(rest.post(ADMIN, "kind: ScheduleTriggered\nspec: {schedule: s, backup: b, firedAt: '2026-01-01T00:00:00Z'}\n"))
                .get("error").asText()).contains("the engine's own event");
        assertThat(json(rest.get(ADMIN, "/resources/clusters/down")).get("state").asText()).isEqualTo("Not Available");
    }

    // --- 3. impersonation through the file drop (the broker's is BrokerDoorIT) -------------------------

    @Test
    void should_take_the_actor_from_the_folder_and_refuse_a_document_that_names_another() throws Exception {
        JsonNode impersonating = dropAndAwait("dev", "grant.yaml",
                "kind: SetUserState\nmetadata: {user: admin}\nspec: {user: dev, state: Active, admin: true}\n");
        JsonNode asItself = dropAndAwait("dev", "grant-2.yaml", "kind: SetUserState\nspec: {user: dev, state: Active, admin: true}\n");
        JsonNode unowned = dropAndAwait(null, "anyone.yaml", "kind: SetUserState\nspec: {user: dev, state: Active, admin: true}\n");

        assertThat(impersonating.get("message").asText()).contains("metadata.user: 'admin' is not the user of this inbox folder (dev)");
        assertThat(asItself.get("reason").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(asItself.get("message").asText()).contains("user dev is operator; SetUserState needs the admin role");
        assertThat(unowned.get("reason").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(unowned.get("message").asText()).contains("inbox/USER/anyone.yaml");
        assertThat(json(rest.get(ADMIN, "/resources/users/dev")).get("admin").asBoolean()).isFalse();
        assertThat(Files.getPosixFilePermissions(work.resolve("inbox/dev")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    // --- 5. ownership and read isolation ------------------------------------------------------------------

    @Test
    void should_keep_a_non_admin_off_the_fleet_and_out_of_other_peoples_data() throws Exception {
        // given: an admin's cluster, location and backup, and an admin's request
        assertThat(rest.post(ADMIN, "kind: AddCluster\nmetadata: {requestId: admins-1}\nspec: {name: prod, kubeconfig: 'secret:kube-system/prod'}\n")
                .statusCode()).isEqualTo(202);
        rest.post(ADMIN, "kind: CreateBackupLocation\nspec: {name: vault, endpoint: 'http://127.0.0.1:1', bucket: vault}\n");
        engine.runtime().loop().submit(new Envelope("admins-backup", "engine", Source.OBSERVATION, Instant.now(),
                new Observation.BucketPolled("vault", List.of(new dev.backupstate.model.FoundBackup("secret-plans", "prod",
                        Instant.parse("2026-11-01T00:00:00Z"), null, null, List.of("finance"))))));

        // when / then: the non-admin can change none of it
        assertThat(json(rest.post(DEV, "kind: RemoveCluster\nspec: {name: prod}\n")).get("reason").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(json(rest.post(DEV, "kind: DeleteBackupLocation\nspec: {name: vault}\n")).get("reason").asText()).isEqualTo("ACCESS_DENIED");
        // another user's backup is missing to them (issue 21): the name answers as one nobody holds
        assertThat(json(rest.post(DEV, "kind: DeleteBackup\nspec: {backup: secret-plans, force: true}\n")).get("reason").asText())
                .isEqualTo("RESOURCE_NOT_FOUND");
        // ... nor read what is not theirs
        assertThat(json(rest.get(ADMIN, "/resources/backups")).path("items").size()).isEqualTo(1);
        assertThat(json(rest.get(DEV, "/resources/backups")).path("items").size()).isZero();
        assertThat(rest.get(DEV, "/resources/backups/secret-plans").statusCode()).isEqualTo(404);
        assertThat(rest.get(DEV, "/requests/admins-1").statusCode()).isEqualTo(404);
        assertThat(json(rest.get(DEV, "/audit?requestId=admins-1")).path("items").size()).isZero();
        assertThat(json(rest.get(DEV, "/audit?resource=backups/secret-plans")).path("items").size()).isZero();
        assertThat(json(rest.get(DEV, "/resources/users")).path("items").findValuesAsText("name")).containsExactly("dev");
        assertThat(json(rest.get(DEV, "/matrix")).path("resources").path("backups").size()).isZero();
        // ... nor use the sandbox controls
        HttpResponse<String> down = rest.post(DEV, "/sandbox/clusters/sandbox-east/down", HttpRequest.BodyPublishers.noBody());
        assertThat(down.statusCode()).isEqualTo(403);
        assertThat(json(rest.get(ADMIN, "/resources/clusters/prod")).get("state").asText()).isEqualTo("Pending");
    }

    // --- 7. idempotency keys per user and document ------------------------------------------------------

    @Test
    void should_scope_request_ids_to_their_user_and_refuse_a_reused_id_with_another_document() throws Exception {
        // given: dev squats the id admin is about to use
        rest.post(DEV, "kind: TriggerSync\nmetadata: {requestId: nightly-1}\nspec: {location: nowhere}\n");

        HttpResponse<String> admins = rest.post(ADMIN, "kind: AddCluster\nmetadata: {requestId: nightly-1}\nspec: {name: c1, kubeconfig: 'secret:ns/c1'}\n");
        HttpResponse<String> same = rest.post(ADMIN, "kind: AddCluster\nmetadata: {requestId: nightly-1}\nspec: {name: c1, kubeconfig: 'secret:ns/c1'}\n");
        HttpResponse<String> other = rest.post(ADMIN, "kind: AddCluster\nmetadata: {requestId: nightly-1}\nspec: {name: c2, kubeconfig: 'secret:ns/c2'}\n");
        HttpResponse<String> numeric = rest.post(ADMIN, "kind: AddCluster\nmetadata: {requestId: 1e400}\nspec: {name: c3, kubeconfig: 'secret:ns/c3'}\n");

        assertThat(admins.statusCode()).isEqualTo(202);
        assertThat(same.statusCode()).isEqualTo(202);
        assertThat(same.body()).isEqualTo(admins.body());
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).get("reason").asText()).isEqualTo("REQUEST_ID_REUSED");
        assertThat(json(other).get("message").asText()).contains("first used at").contains("for AddCluster on clusters/c1");
        assertThat(numeric.statusCode()).isEqualTo(400);
        assertThat(json(numeric).get("field").asText()).isEqualTo("metadata.requestId");
        assertThat(json(rest.get(ADMIN, "/resources/clusters")).path("items").findValuesAsText("name")).containsExactly("c1");
    }

    // --- 8. a parser that guesses nothing ---------------------------------------------------------------

    @Test
    void should_answer_hostile_documents_with_a_named_problem_on_every_inbox() throws Exception {
        String deep = "kind: DeleteBackup\nspec: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        HttpResponse<String> nested = rest.post(ADMIN, deep);
        HttpResponse<String> tagged = rest.post(ADMIN, "kind: AddCluster\nspec: !!java/object:java.net.URL {name: c1, kubeconfig: k}\n");
        HttpResponse<String> duplicate = rest.post(ADMIN, "kind: CreateBackup\nkind: RemoveCluster\nspec: {name: c1}\n");
        HttpResponse<String> latin1 = rest.post(ADMIN, "/requests", HttpRequest.BodyPublishers.ofByteArray(
                "kind: AddCluster\nspec: {name: caf\u00e9, kubeconfig: k}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        HttpResponse<String> huge = rest.post(ADMIN, "kind: DeleteBackup\nspec: {backup: b1}\n# " + "x".repeat(70_000) + "\n");

        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(json(nested).get("error").asText()).contains("nested deeper than 32 levels");
        assertThat(json(tagged).get("error").asText()).contains("YAML tags");
        assertThat(json(duplicate).get("error").asText()).contains("duplicate key 'kind'");
        assertThat(latin1.statusCode()).isEqualTo(400);
        assertThat(json(latin1).get("error").asText()).contains("not UTF-8");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(json(huge).get("error").asText()).contains("the limit is 65536");
        // the file drop answers the same documents, and an empty file, with an outcome
        assertThat(dropAndAwait("admin", "deep.yaml", deep).get("message").asText()).contains("nested deeper than 32 levels");
        assertThat(dropAndAwait("admin", "huge.yaml", "# " + "x".repeat(70_000)).get("message").asText())
                .contains("the limit is 65536 (bse.documents.max-bytes)");
        assertThat(dropAndAwait("admin", "empty.yaml", "").get("message").asText()).contains("the document is empty");
        assertThat(engine.runtime().loop().catalog().all(ResourceKind.CLUSTER)).isEmpty();
        assertThat(engine.runtime().loop().catalog().all(ResourceKind.BACKUP)).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------------




    /** Drops a document into the user's inbox folder (null: the inbox itself) and waits for its outcome. */
    private JsonNode dropAndAwait(String user, String name, String content) throws Exception {
        Path folder = user == null ? work.resolve("inbox") : work.resolve("inbox").resolve(user);
        Path staged = Files.writeString(work.resolve(name + ".staged"), content);
        Files.move(staged, folder.resolve(name));
        Path outcome = (user == null ? work.resolve("outbox") : work.resolve("outbox").resolve(user)).resolve(name + ".outcome.json");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(outcome));
        return Json.json().readTree(Files.readString(outcome));
    }
}
