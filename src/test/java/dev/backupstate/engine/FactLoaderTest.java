package dev.backupstate.engine;

import static dev.backupstate.engine.Fleet.aBackup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.BackupState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.Missing;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each event sees a bounded slice of the fleet, whatever its size. */
class FactLoaderTest {

    private static List<Object> factsFor(InMemoryCatalog catalog, Event event) {
        return new FactLoader(catalog, Mode.FEDERATED).factsFor(
                new Envelope("r1", "alice", Source.REST, Instant.EPOCH, event));
    }

    @Test
    void should_give_a_delete_the_same_few_facts_with_a_hundred_or_ten_thousand_clusters() {
        InMemoryCatalog small = Fleet.ofClusters(100);
        InMemoryCatalog large = Fleet.ofClusters(10_000);
        small.put(aBackup("b1", "c3", "l1", BackupState.SUCCESS));
        large.put(aBackup("b1", "c3", "l1", BackupState.SUCCESS));

        Event delete = new Request.DeleteBackup("b1", false);

        assertThat(factsFor(large, delete)).hasSameSizeAs(factsFor(small, delete));
        assertThat(factsFor(large, delete).size()).isLessThan(20);
    }

    @Test
    void should_load_a_clusters_connections_only_when_its_state_changes() {
        InMemoryCatalog fleet = Fleet.ofClusters(100);

        List<Object> confirmed = factsFor(fleet, new Observation.ClusterProbed("c1", ClusterState.ACTIVE, null));
        List<Object> changed = factsFor(fleet, new Observation.ClusterProbed("c1", ClusterState.DISCONNECTED, "gone"));

        assertThat(confirmed).hasSize(5); // engine, actor, envelope, event, cluster
        assertThat(changed.size()).isGreaterThan(confirmed.size());
    }

    @Test
    void should_mark_what_an_event_names_and_the_catalog_lacks() {
        List<Object> facts = factsFor(Fleet.ofClusters(3), new Request.CreateBackup("b9", "nowhere", "l1", List.of(),
                null, null, null, null, null));

        assertThat(facts).filteredOn(Missing.class::isInstance).extracting(Object::toString).containsExactly("clusters/nowhere");
    }
}
