package dev.backupstate.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.StorkBucket;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Classic: the engine checks buckets itself and deletes backups' folders, against S3Proxy in this JVM. */
class BucketIT {

    @TempDir
    Path work;
    private TestEngine engine;
    private SandboxObjectStore s3;
    private int s3Port;

    @BeforeEach
    void start() throws Exception {
        s3Port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        engine = TestEngine.start(work, Map.of(
                "bse.outbox.poll-millis", "100",
                "bse.buckets.timeout-millis", "2000",
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.credentials.wrong-secret", SandboxObjectStore.ACCESS_KEY + ":not-the-secret",
                "bse.credentials.stranger", "nobody:whatever"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        s3.close();
    }

    private Outcome submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    private void location(String name, String endpoint, String bucket, String credentials) {
        // each its own folder: two locations may not claim one
        String prefix = name.equals("ok") ? "team" : "check-" + name;
        submit(new Request.CreateBackupLocation(name, LocationType.S3, endpoint, "us-east-1", bucket, prefix, credentials));
    }

    private BackupLocation awaitChecked(String name) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> (BackupLocation) engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, name)).orElseThrow(),
                l -> l.state() == BackupLocationState.VALID || l.state() == BackupLocationState.INVALID);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    @Test
    void should_validate_a_reachable_bucket_and_name_the_cause_of_each_failure() {
        location("ok", endpoint(), "backups", "good");
        location("nobucket", endpoint(), "missing", "good");
        location("badsecret", endpoint(), "backups", "wrong-secret");
        location("stranger", endpoint(), "backups", "stranger");
        location("unreachable", "http://127.0.0.1:" + FreePort.find(), "backups", "good");
        location("unconfigured", endpoint(), "backups", "no-such-credentials");

        assertThat(awaitChecked("ok").state()).isEqualTo(BackupLocationState.VALID);
        assertThat(awaitChecked("nobucket").cause()).isEqualTo("no such bucket: missing");
        assertThat(awaitChecked("badsecret").cause()).startsWith("signature mismatch");
        assertThat(awaitChecked("stranger").cause()).isEqualTo("access key unknown to the endpoint at step list");
        assertThat(awaitChecked("unreachable").cause()).startsWith("endpoint unreachable");
        assertThat(awaitChecked("unconfigured").cause()).contains("credentials no-such-credentials are not configured");
        // the probe object is gone again
        assertThat(s3.client().listObjectsV2(b -> b.bucket("backups")).contents()).isEmpty();
    }

    private void importBackup(String name) {
        submit(new Observation.BucketPolled("ok", List.of(new FoundBackup(name, "c1", Instant.parse("2026-11-20T01:00:00Z"),
                BackupStatus.SUCCESS, null, List.of("shop")))));
        // in Stork's layout: the backup's folder, and one of another backup whose name starts the same
        StorkBucket bucket = new StorkBucket(s3.client(), "backups", "kube-system");
        bucket.write(name, "ok", "c1", "Successful", List.of("shop"));
        bucket.put("kube-system/" + name + "-other/u-9/metadata.json", "{}");
    }

    private Optional<Backup> backup(String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP, name)).map(Backup.class::cast);
    }

    private List<String> keys() {
        return s3.client().listObjectsV2(b -> b.bucket("backups")).contents().stream().map(o -> o.key()).toList();
    }

    @Test
    void should_delete_a_backups_folder_and_then_its_catalog_entry() {
        location("ok", endpoint(), "backups", "good");
        awaitChecked("ok");
        importBackup("b1");
        assertThat(backup("b1")).isPresent();

        assertThat(submit(new Request.DeleteBackup("b1", false)).accepted()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> backup("b1").isEmpty());
        assertThat(keys()).containsExactly("kube-system/b1-other/u-9/metadata.json");
    }

    @Test
    void should_keep_a_backup_deleting_with_the_cause_while_its_bucket_fails_and_finish_when_it_answers() throws Exception {
        location("ok", endpoint(), "backups", "good");
        awaitChecked("ok");
        importBackup("b2");

        // when: the object store goes away, then the delete is asked for
        s3.close();
        submit(new Request.DeleteBackup("b2", false));

        // then: Deleting, with why
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(backup("b2").orElseThrow().state()).isEqualTo(BackupState.DELETING);
            assertThat(backup("b2").orElseThrow().cause()).startsWith("data deletion failed: endpoint unreachable");
        });

        // and when it comes back (same port, same files), the retried command finishes the job
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        await().atMost(Duration.ofSeconds(20)).until(() -> backup("b2").isEmpty());
        assertThat(keys()).containsExactly("kube-system/b2-other/u-9/metadata.json");
    }
}
