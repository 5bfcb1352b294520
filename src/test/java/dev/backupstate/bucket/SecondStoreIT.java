package dev.backupstate.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.testing.LocalS3Store;
import dev.backupstate.testing.StorkBucket;
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

/**
 * Classic buckets on a second S3 implementation (LocalS3, not S3Proxy): validation reads back exactly
 * what it wrote, a sync lists more than one page, a delete removes a backup's folder in batches.
 * Issue 11, item 11: what the engine sends must work on more than one store.
 */
class SecondStoreIT {

    @TempDir
    Path work;
    private LocalS3Store s3;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        s3 = new LocalS3Store();
        s3.createBucket("backups");
        engine = TestEngine.start(work, Map.of(
                "bse.outbox.poll-millis", "100",
                "bse.buckets.poll-period-millis", "500",
                "bse.buckets.timeout-millis", "5000",
                "bse.credentials.local", "test:test"));
        submit(new Request.CreateBackupLocation("ok", LocationType.S3, s3.endpoint().toString(), "us-east-1", "backups", "team", "local"));
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

    private BackupLocation location() {
        return (BackupLocation) engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "ok")).orElseThrow();
    }

    private Optional<Backup> backup(String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP, name)).map(Backup.class::cast);
    }

    private void write(String key, String content) {
        s3.client().putObject(b -> b.bucket("backups").key(key), RequestBody.fromString(content));
    }

    private List<String> keys() {
        return s3.client().listObjectsV2Paginator(b -> b.bucket("backups")).contents().stream().map(o -> o.key()).toList();
    }

    @Test
    void should_validate_a_location_whose_probe_reads_back_as_written_and_leave_nothing() {
        await().atMost(Duration.ofSeconds(15)).until(() -> location().state() != BackupLocationState.VALIDATION_IN_PROGRESS);

        assertThat(location().state()).as(String.valueOf(location().cause())).isEqualTo(BackupLocationState.VALID);
        assertThat(keys()).isEmpty();
    }

    @Test
    void should_sync_more_than_a_page_and_delete_a_backups_folder() {
        // given: 1,050 backups only the bucket knows, in Stork's layout, one with its files beside its metadata.json
        await().atMost(Duration.ofSeconds(15)).until(() -> location().state() == BackupLocationState.VALID);
        StorkBucket bucket = new StorkBucket(s3.client(), "backups", "kube-system");
        for (int i = 0; i < 1050; i++) {
            String name = String.format("bk-%04d", i);
            if (i == 1) {
                bucket.write(name, location().name(), "c1", "Successful", List.of("shop"));
            } else {
                write("kube-system/" + name + "/u-" + i + "/metadata.json", bucket.metadata(name, "u-" + i, location().name(), "c1",
                        "Successful", List.of("shop")));
            }
        }

        // when: the polls import them
        await().atMost(Duration.ofSeconds(40)).until(() -> backup("bk-1049").isPresent() && backup("bk-0000").isPresent());

        // then: a delete empties the backup's folder and no other
        assertThat(submit(new Request.DeleteBackup("bk-0001", false)).accepted()).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> backup("bk-0001").isEmpty());
        assertThat(keys()).hasSize(1049).noneMatch(key -> key.contains("/bk-0001/"));
    }
}
