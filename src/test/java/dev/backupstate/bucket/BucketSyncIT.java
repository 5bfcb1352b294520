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
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxObjectStore;
import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
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

/** Classic sync: the engine polls the bucket page by page and the catalog follows it, one engine per bucket folder. */
class BucketSyncIT {

    @TempDir
    Path work;
    private TestEngine engine;
    private SandboxObjectStore s3;

    @BeforeEach
    void start() throws Exception {
        int port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), port);
        s3.createBucket("backups");
        engine = TestEngine.start(work, Map.of(
                "bse.outbox.poll-millis", "100",
                "bse.buckets.poll-period-millis", "500",
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY));
        submit(new Request.CreateBackupLocation("ok", LocationType.S3, "http://127.0.0.1:" + port, "us-east-1", "backups", "team", "good"));
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "ok")).map(l -> l.state() == BackupLocationState.VALID).orElse(false));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        s3.close();
    }

    private void submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    private void write(String name, String status) {
        new dev.backupstate.testing.StorkBucket(s3.client(), "backups", "kube-system").write(name, "ok", "c1", status, List.of("shop"));
    }

    private Optional<Backup> backup(String name) {
        return engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP, name)).map(Backup.class::cast);
    }

    @Test
    void should_import_a_bucket_of_more_than_a_page_and_mark_what_is_gone_without_dropping_it() {
        // given: a catalog backup whose data is about to be gone, and 1,050 backups only the bucket knows
        submit(new Observation.BucketPolled("ok", List.of(new FoundBackup("gone", "c1", Instant.parse("2026-11-19T01:00:00Z"),
                BackupStatus.SUCCESS, null, List.of("shop")))));
        for (int i = 0; i < 1050; i++) {
            write(String.format("bk-%04d", i), i == 7 ? "PartialSuccess" : "Successful");
        }

        // then: the polls bring the catalog to the bucket
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(backup("bk-1049")).isPresent();
            assertThat(backup("gone").orElseThrow().state()).isEqualTo(BackupState.CLOUD_BACKUP_MISSING);
        });
        assertThat(backup("bk-0007").orElseThrow().state()).isEqualTo(BackupState.PARTIAL_SUCCESS);
        assertThat(backup("bk-0000").orElseThrow().location()).isEqualTo("ok");

        // when its data comes back, so does the backup
        write("gone", "Successful");
        await().atMost(Duration.ofSeconds(10)).until(() -> backup("gone").orElseThrow().state() == BackupState.SUCCESS);
    }

    @Test
    void should_leave_a_bucket_alone_while_another_engine_syncs_it() {
        BackupLocation location = (BackupLocation) engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "ok")).orElseThrow();
        BucketLeases otherEngine = new BucketLeases(engine.runtime().database(), Clock.systemUTC(), "other-engine", Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> otherEngine.claim(location.bucket()));

        write("while-held", "Successful");
        // several poll periods pass without this engine listing the bucket
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> backup("while-held").isEmpty());

        otherEngine.release(location.bucket());
        await().atMost(Duration.ofSeconds(10)).until(() -> backup("while-held").isPresent());
    }
}
