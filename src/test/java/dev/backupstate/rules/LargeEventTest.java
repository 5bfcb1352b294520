package dev.backupstate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.engine.FactLoader;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Source;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import dev.backupstate.model.Transition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event that legitimately fires many rules is decided, not mistaken for runaway rules. */
class LargeEventTest {

    @Test
    void should_import_a_bucket_of_twenty_thousand_backups_in_one_decision() {
        // given a location whose first sync is running, and a bucket listing of 20,000 unknown backups
        BucketKey bucket = new BucketKey("http://s3.example", "fleet", "team-a");
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(new BackupLocation("l1", BackupLocationState.VALID, LocationType.S3, bucket, null, null, "admin", null));
        catalog.put(new Sync("l1", SyncState.IN_PROGRESS, bucket, "c1", null));
        List<FoundBackup> found = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            found.add(new FoundBackup("b" + i, "c" + (i % 50), Instant.EPOCH, null, null, List.of()));
        }
        Envelope completed = new Envelope("r1", "engine", Source.OBSERVATION, Instant.EPOCH,
                new Observation.SyncCompleted("l1", found));

        // when the sync's completion is decided
        Decision decision;
        try (RuleBook rules = RuleBook.load(Path.of("rules"))) {
            decision = rules.evaluate(new FactLoader(catalog, Mode.FEDERATED).factsFor(completed));
        }

        // then every backup is imported and the sync is Completed
        assertThat(decision.accepted()).isTrue();
        assertThat(decision.transitions()).hasSize(20_001);
        assertThat(decision.transitions()).filteredOn(t -> t.change() == Transition.Change.CREATE).hasSize(20_000);
    }
}
