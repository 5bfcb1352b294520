package dev.backupstate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Tokens;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import static dev.backupstate.testing.RestClient.json;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Buckets (issue 10, findings 4 and 6), against a real object store (S3Proxy): credentials serve only
 * whom and where they are granted, folders are not claimed twice, and a sync of a shared folder
 * matches what the catalog holds instead of taking it over. Team A's admin ("owner") holds the
 * team's keys; the platform admin ("admin") and an operator ("dev") try to reach team A's data.
 */
class BucketDoorIT {

    private static final String OWNER = "team-a-owner-token";
    private static final String ADMIN = "sandbox-admin-token";
    private static final String DEV = "sandbox-dev-token";

    @TempDir
    Path work;
    private SandboxObjectStore s3;
    private TestEngine engine;
    private String endpoint;
    private RestClient rest;

    @BeforeEach
    void start() throws Exception {
        int port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), port);
        s3.createBucket("backups");
        endpoint = "http://127.0.0.1:" + port;
        backupInBucket("team-a", "plans");
        String keys = SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY;
        engine = TestEngine.start(work, Map.of(
                "bse.outbox.poll-millis", "100",
                "bse.buckets.poll-period-millis", "500",
                "bse.users.admins", "admin,owner",
                "bse.tokens", "admin=" + Tokens.hash(ADMIN) + ",dev=" + Tokens.hash(DEV) + ",owner=" + Tokens.hash(OWNER),
                "bse.credentials.team-a-keys", keys,
                "bse.credentials.team-a-keys.users", "owner",
                "bse.credentials.team-a-keys.endpoints", endpoint,
                "bse.credentials.team-a-keys.buckets", "backups",
                "bse.credentials.platform-keys", keys));
        rest = new RestClient(engine.api());
        // given: team A's location, on the team's keys, and its backup imported by the first poll
        assertThat(rest.post(OWNER, location("team-a", endpoint, "team-a", "team-a-keys", false)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> rest.get(ADMIN, "/resources/backups/plans").statusCode() == 200);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        s3.close();
    }

    @Test
    void should_refuse_to_point_anyones_location_at_another_teams_folder_or_keys() throws Exception {
        int elsewhere = FreePort.find();
        try (ServerSocket attacker = new ServerSocket(elsewhere)) {
            // an operator may not create locations at all
            assertThat(reason(rest.post(DEV, location("spy", endpoint, "team-a", "team-a-keys", false)))).isEqualTo("ACCESS_DENIED");
            // another admin may not use team A's keys, even on an empty folder
            HttpResponse<String> borrowed = rest.post(ADMIN, location("mine", endpoint, "platform", "team-a-keys", false));
            assertThat(reason(borrowed)).isEqualTo("CREDENTIALS_NOT_ALLOWED");
            assertThat(json(borrowed).get("message").asText()).contains("they are for users owner");
            // nor point own keys at team A's folder, or a folder around it, even saying it is shared
            assertThat(reason(rest.post(ADMIN, location("spy", endpoint, "team-a/backups", "platform-keys", true)))).isEqualTo("FOLDER_OVERLAP");
            assertThat(reason(rest.post(ADMIN, location("spy", endpoint, "", "platform-keys", false)))).isEqualTo("FOLDER_OVERLAP");
            // and team A's own admin may not send the team's keys to an endpoint they are not for
            HttpResponse<String> exfiltrate = rest.post(OWNER, location("exfil", "http://127.0.0.1:" + elsewhere, "x", "team-a-keys", false));
            assertThat(reason(exfiltrate)).isEqualTo("CREDENTIALS_NOT_ALLOWED");

            attacker.setSoTimeout(1_000);
            boolean reached;
            try {
                attacker.accept().close();
                reached = true;
            } catch (SocketTimeoutException e) {
                reached = false;
            }
            assertThat(reached).as("the keys were never sent to the attacker's endpoint").isFalse();
        }
        // then: the catalog and the bucket are as they were
        assertThat(json(rest.get(ADMIN, "/resources/backup-locations")).path("items").findValuesAsText("name")).containsExactly("team-a");
        JsonNode plans = json(rest.get(ADMIN, "/resources/backups/plans"));
        assertThat(plans.get("owner").asText()).isEqualTo("owner");
        assertThat(plans.get("location").asText()).isEqualTo("team-a");
        assertThat(s3.client().listObjectsV2(b -> b.bucket("backups")).keyCount()).isEqualTo(dev.backupstate.testing.StorkBucket.FILES.size());
    }

    @Test
    void should_match_backups_in_a_shared_folder_and_skip_a_bad_key_without_stopping() throws Exception {
        // given: team A's admin says a second location shares the folder, and the bucket holds a bad key
        assertThat(rest.post(OWNER, location("team-a-dr", endpoint, "team-a", "team-a-keys", true)).statusCode()).isEqualTo(202);
        s3.client().putObject(b -> b.bucket("backups").key("kube-system/Bad_Name/u-1/metadata.json"), RequestBody.fromString("{}"));
        backupInBucket("team-a", "plans-2");

        // when: both locations are polled, round after round
        await().atMost(Duration.ofSeconds(15)).until(() -> rest.get(ADMIN, "/resources/backups/plans-2").statusCode() == 200);
        await().atMost(Duration.ofSeconds(15)).until(() -> json(rest.get(ADMIN, "/audit?resource=backups/plans")).toString()
                .contains("seen by the sync of team-a-dr"));

        // then: the backup stays what it was: its location, owner and time
        JsonNode plans = json(rest.get(ADMIN, "/resources/backups/plans"));
        assertThat(plans.get("location").asText()).isEqualTo("team-a");
        assertThat(plans.get("owner").asText()).isEqualTo("owner");
        assertThat(plans.get("created").asText()).isEqualTo("2026-11-20T01:00:00Z");
        assertThat(json(rest.get(ADMIN, "/audit?resource=backups/plans")).toString())
                .contains("held by location team-a, owner owner: matched, not taken over");
        assertThat(json(rest.get(ADMIN, "/resources/backups")).path("items").findValuesAsText("name")).containsExactlyInAnyOrder("plans", "plans-2");
    }

    /** A backup of {@code location} in the bucket as Stork writes it (no prefix: Stork has none). */
    private void backupInBucket(String location, String name) {
        new dev.backupstate.testing.StorkBucket(s3.client(), "backups", "kube-system").write(name, location, "c1", "Successful", java.util.List.of("finance"));
    }

    private static String location(String name, String endpoint, String prefix, String credentials, boolean shared) {
        return "kind: CreateBackupLocation\nspec: {name: %s, endpoint: '%s', region: us-east-1, bucket: backups, prefix: '%s', credentials: %s, sharedFolder: %s}\n"
                .formatted(name, endpoint, prefix, credentials, shared);
    }




    private static String reason(HttpResponse<String> response) throws Exception {
        return json(response).path("reason").asText();
    }
}
