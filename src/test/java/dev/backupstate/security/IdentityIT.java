package dev.backupstate.security;

import static dev.backupstate.testing.RestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.testing.ClassicFleet;
import dev.backupstate.testing.RestClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's identity findings, played by an operator (dev) against an admin's resources through REST
 * on a Classic fleet (a mock API server with an agent Deployment, S3Proxy): a reused schedule name, a
 * taken run name, a stranger's base, hidden things answering as missing, and a reused backup name's
 * history. Quartz's fires and Stork's reports come in as the engine would take them (the world is not
 * a person: only the engine reports it).
 */
class IdentityIT {

    private static final String ADMIN = "sandbox-admin-token";
    private static final String DEV = "sandbox-dev-token";
    private static final String VIEWER = "viewer-token";

    @TempDir
    Path work;
    private ClassicFleet fleet;
    private RestClient rest;

    @BeforeEach
    void start() throws Exception {
        // rates are SecondDoorIT's: here each user sends a few dozen calls in a second or two
        fleet = new ClassicFleet(work, "kube-system", java.util.Map.of("bse.users.viewers", "vera",
                "bse.limits.dry-runs-per-second", "0", "bse.limits.requests-per-second", "0",
                "bse.tokens", "admin=" + dev.backupstate.inbox.Tokens.hash(ADMIN) + ",dev=" + dev.backupstate.inbox.Tokens.hash(DEV)
                        + ",vera=" + dev.backupstate.inbox.Tokens.hash(VIEWER)));
        rest = new RestClient(fleet.engine.api());
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    // --- 2. a reused schedule name deletes nobody else's backups --------------------------------------

    @Test
    void should_keep_an_earlier_schedules_backups_from_a_new_schedule_of_its_name() throws Exception {
        // given: admin's schedule db made two backups, then was deleted (its backups stay)
        accepted(ADMIN, "kind: CreateSchedulePolicy\nspec: {name: keep-five, type: Daily, time: '02:00', retain: 5}\n");
        accepted(ADMIN, "kind: CreateSchedule\nspec: {name: db, cluster: east, location: l1, policy: keep-five, namespaces: [shop]}\n");
        run("db", "db-20261201-020000");
        run("db", "db-20261202-020000");
        accepted(ADMIN, "kind: DeleteSchedule\nspec: {name: db}\n");
        String adminsFirstUid = json(rest.get(ADMIN, "/resources/backups/db-20261201-020000")).path("uid").asText();

        // when: dev makes a schedule db keeping one, and it runs
        accepted(DEV, "kind: CreateSchedulePolicy\nspec: {name: keep-one, type: Daily, time: '03:00', retain: 1}\n");
        accepted(DEV, "kind: CreateSchedule\nspec: {name: db, cluster: east, location: l1, policy: keep-one, namespaces: [shop]}\n");
        JsonNode runsBefore = json(rest.get(DEV, "/resources/schedules/db/runs"));
        run("db", "db-20261203-030000");

        // then: admin's backups are untouched, their history holds no retention, dev's schedule shows only its run
        for (String name : new String[] {"db-20261201-020000", "db-20261202-020000"}) {
            JsonNode backup = json(rest.get(ADMIN, "/resources/backups/" + name));
            assertThat(backup.path("state").asText()).as(name).isEqualTo("Success");
            assertThat(backup.path("owner").asText()).isEqualTo("admin");
            assertThat(rest.get(ADMIN, "/audit?resource=backups/" + name).body()).doesNotContain("retention");
        }
        assertThat(json(rest.get(ADMIN, "/resources/backups/db-20261201-020000")).path("uid").asText()).isEqualTo(adminsFirstUid);
        assertThat(runsBefore.has("lastRun")).as("admin's runs are not dev's schedule's: " + runsBefore).isFalse();
        JsonNode runs = json(rest.get(DEV, "/resources/schedules/db/runs"));
        assertThat(runs.path("lastRun").path("backup").asText()).isEqualTo("db-20261203-030000");
        assertThat(json(rest.get(DEV, "/resources/backups")).path("items").findValuesAsText("name")).containsExactly("db-20261203-030000");
    }

    // --- 3. a run's name cannot be taken, and a taken one is said ---------------------------------------

    @Test
    void should_refuse_a_persons_backup_named_as_a_run_and_say_a_run_whose_name_is_taken() throws Exception {
        // given: admin's schedule db
        accepted(ADMIN, "kind: CreateSchedulePolicy\nspec: {name: keep-five, type: Daily, time: '02:00', retain: 5}\n");
        accepted(ADMIN, "kind: CreateSchedule\nspec: {name: db, cluster: east, location: l1, policy: keep-five, namespaces: [shop]}\n");

        // when: dev takes the next run's name first
        HttpResponse<String> taken = rest.post(DEV, "kind: CreateBackup\nspec: {name: db-20261201-020000, cluster: east, location: l1, namespaces: [shop]}\n");

        // then: refused at the door, naming the field; the run goes through
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(json(taken).path("field").asText()).isEqualTo("spec.name");
        assertThat(json(taken).path("error").asText()).contains("kept for schedules");
        Outcome run = fire("db", "db-20261201-020000");
        assertThat(run.accepted()).as(run.toString()).isTrue();

        // and when a name is held by a backup the schedule did not make (an earlier schedule of its name)
        accepted(ADMIN, "kind: DeleteSchedule\nspec: {name: db}\n");
        accepted(ADMIN, "kind: CreateSchedule\nspec: {name: db, cluster: east, location: l1, policy: keep-five, namespaces: [shop]}\n");
        Outcome skipped = fire("db", "db-20261201-020000");

        // then: a skipped run with its reason, in the schedule's history and as a notice
        assertThat(skipped.accepted()).isFalse();
        assertThat(skipped.reason()).isEqualTo("SCHEDULE_SLOT_TAKEN");
        assertThat(rest.get(ADMIN, "/audit?resource=schedules/db").body()).contains("SCHEDULE_SLOT_TAKEN");
        assertThat(fleet.engine.runtime().loop().store().auditOfRequest(skipped.requestId())).singleElement()
                .satisfies(entry -> assertThat(entry.reason()).isEqualTo("SCHEDULE_SLOT_TAKEN"));
    }

    // --- 4 and 6. hidden things answer as missing ones, before the rules run -----------------------------

    @Test
    void should_answer_an_operator_for_an_admins_backup_exactly_as_for_a_name_nobody_holds() throws Exception {
        // given: admin's finished backup secret-1
        accepted(ADMIN, "kind: CreateBackup\nspec: {name: secret-1, cluster: east, location: l1, namespaces: [shop]}\n");
        report(new Observation.BackupProgressed("secret-1", BackupStatus.SUCCESS, null, null));

        for (String token : new String[] {DEV, VIEWER}) {
            // when: the operator reads, dry-runs, deletes, shares and builds on it, and on a name nobody holds
            String[][] pairs = {
                {"GET", "/resources/backups/secret-1", "/resources/backups/nobody-1"},
                {"GET", "/resources/backups/secret-1/deletability", "/resources/backups/nobody-1/deletability"},
                {"GET", "/audit?resource=backups/secret-1", "/audit?resource=backups/nobody-1"},
            };
            for (String[] pair : pairs) {
                HttpResponse<String> hidden = rest.get(token, pair[1]);
                HttpResponse<String> missing = rest.get(token, pair[2]);
                assertThat(hidden.statusCode()).as(pair[1]).isEqualTo(missing.statusCode());
                assertThat(hidden.body()).as(pair[1]).isEqualTo(missing.body().replace("nobody-1", "secret-1"));
            }
            String[] documents = {
                "kind: DeleteBackup\nmetadata: {requestId: %s}\nspec: {backup: %s}\n",
                "kind: DeleteBackup\nmetadata: {requestId: %s}\nspec: {backup: %s, force: true}\n",
                "kind: ShareBackup\nmetadata: {requestId: %s}\nspec: {backup: %s, user: dev, access: FullAccess}\n",
                "kind: CreateBackup\nmetadata: {requestId: %s}\nspec: {name: mine-%s, cluster: east, location: l1, namespaces: [shop], incrementalOf: %2$s}\n",
                "kind: CreateRestore\nmetadata: {requestId: %s}\nspec: {name: r-%s, backup: %2$s, cluster: east}\n",
            };
            for (String document : documents) {
                HttpResponse<String> hiddenDry = rest.post(token, "/requests?dryRun=true",
                        HttpRequest.BodyPublishers.ofString(document.formatted("d1", "secret-1")));
                HttpResponse<String> missingDry = rest.post(token, "/requests?dryRun=true",
                        HttpRequest.BodyPublishers.ofString(document.formatted("d1", "nobody-1")));
                assertThat(hiddenDry.body()).as(document).isEqualTo(missingDry.body().replace("nobody-1", "secret-1"));
                String id = UUID.randomUUID().toString();
                HttpResponse<String> hidden = rest.post(token, document.formatted(id, "secret-1"));
                HttpResponse<String> missing = rest.post(token, document.formatted(id + "-m", "nobody-1"));
                assertThat(hidden.statusCode()).as(document).isEqualTo(missing.statusCode()).isEqualTo(409);
                assertThat(hidden.body()).as(document).isEqualTo(missing.body().replace(id + "-m", id).replace("nobody-1", "secret-1"));
                assertThat(json(hidden).path("reason").asText()).isEqualTo("RESOURCE_NOT_FOUND");
            }
        }
        // and: nothing of admin's changed, nobody pinned it as a base
        JsonNode backup = json(rest.get(ADMIN, "/resources/backups/secret-1"));
        assertThat(backup.path("state").asText()).isEqualTo("Success");
        HttpResponse<String> deleted = rest.post(ADMIN, "kind: DeleteBackup\nspec: {backup: secret-1}\n");
        assertThat(json(deleted).path("transitions").toString()).contains("Success -> Deleting");
        // and a share to a user who exists answers as one to a user who does not
        accepted(DEV, "kind: CreateBackup\nspec: {name: devs-1, cluster: east, location: l1, namespaces: [shop]}\n");
        report(new Observation.BackupProgressed("devs-1", BackupStatus.SUCCESS, null, null));
        HttpResponse<String> toAdmin = rest.post(DEV, "/requests?dryRun=true", HttpRequest.BodyPublishers.ofString(
                "kind: ShareBackup\nspec: {backup: devs-1, user: admin, access: View}\n"));
        HttpResponse<String> toNobody = rest.post(DEV, "/requests?dryRun=true", HttpRequest.BodyPublishers.ofString(
                "kind: ShareBackup\nspec: {backup: devs-1, user: zz-nobody, access: View}\n"));
        assertThat(toAdmin.statusCode()).as(toAdmin.body()).isEqualTo(200);
        assertThat(toAdmin.body()).isEqualTo(toNobody.body().replace("zz-nobody", "admin"));
        assertThat(json(toAdmin).path("accepted").asBoolean()).isTrue();
        assertThat(json(toAdmin).path("rulesFired")).as("an operator's dry run lists no rules").isEmpty();
    }

    // --- 7. a name used again starts an empty history --------------------------------------------------

    @Test
    void should_give_a_reused_backup_name_a_new_identity_and_an_empty_history() throws Exception {
        // given: admin's backup reused-1 ended, was deleted, its data gone
        accepted(ADMIN, "kind: CreateBackup\nspec: {name: reused-1, cluster: east, location: l1, namespaces: [shop]}\n");
        String oldUid = json(rest.get(ADMIN, "/resources/backups/reused-1")).path("uid").asText();
        report(new Observation.BackupProgressed("reused-1", BackupStatus.FAILURE, null, "nothing to back up"));
        accepted(ADMIN, "kind: DeleteBackup\nspec: {backup: reused-1}\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.BACKUP, "reused-1")).isEmpty());

        // when: dev makes a backup of that name
        HttpResponse<String> created = rest.post(DEV, "kind: CreateBackup\nspec: {name: reused-1, cluster: east, location: l1, namespaces: [shop]}\n");

        // then: a new identity, and dev reads only its own history
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String newUid = json(created).path("uid").asText();
        assertThat(newUid).isNotBlank().isNotEqualTo(oldUid);
        assertThat(json(rest.get(DEV, "/resources/backups/reused-1")).path("uid").asText()).isEqualTo(newUid);
        JsonNode history = json(rest.get(DEV, "/audit?resource=backups/reused-1")).path("items");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("actor").asText()).isEqualTo("dev");
        assertThat(history.toString()).doesNotContain("nothing to back up").doesNotContain("admin");
        // and the old history stays with the old uid, for admins
        assertThat(rest.get(DEV, "/audit?uid=" + oldUid).statusCode()).isEqualTo(403);
        JsonNode old = json(rest.get(ADMIN, "/audit?uid=" + oldUid)).path("items");
        assertThat(old.toString()).contains("nothing to back up").contains("\"actor\":\"admin\"").doesNotContain("\"actor\":\"dev\"");
        // and the audit pages
        JsonNode page = json(rest.get(ADMIN, "/audit?uid=" + oldUid + "&limit=1"));
        assertThat(page.path("items")).hasSize(1);
        JsonNode next = json(rest.get(ADMIN, "/audit?uid=" + oldUid + "&limit=1&continue=" + page.path("continue").asText()));
        assertThat(next.path("items").get(0).path("id").asLong()).isGreaterThan(page.path("items").get(0).path("id").asLong());
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private void accepted(String token, String document) throws Exception {
        HttpResponse<String> answer = rest.post(token, document);
        assertThat(answer.statusCode()).as(document + " -> " + answer.body()).isEqualTo(202);
    }

    /** Quartz fires the schedule's slot, and Stork reports the backup done. */
    private void run(String schedule, String backup) {
        Outcome fired = fire(schedule, backup);
        assertThat(fired.accepted()).as(fired.toString()).isTrue();
        report(new Observation.BackupProgressed(backup, BackupStatus.SUCCESS, null, null));
    }

    private Outcome fire(String schedule, String backup) {
        return fleet.engine.runtime().loop().submit(new Envelope("fire-" + UUID.randomUUID(), "engine", Source.SCHEDULE,
                Instant.now(), new Request.ScheduleTriggered(schedule, backup, Instant.now())));
    }

    private void report(Observation observation) {
        Outcome outcome = fleet.engine.runtime().loop().submit(new Envelope("seen-" + UUID.randomUUID(), "engine",
                Source.OBSERVATION, Instant.now(), observation));
        assertThat(outcome.accepted()).as(outcome.toString()).isTrue();
    }
}
