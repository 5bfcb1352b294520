package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.inbox.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncMarkerTest {

    private static final String NS = "kube-system";
    private static final Instant AT = Instant.parse("2026-12-07T21:00:00.750Z");

    @Test
    void should_lie_where_storks_sync_lists_a_backup_and_where_its_deletion_deletes_it() throws Exception {
        // given
        String marker = SyncMarker.name("l1", "east", "request-1");

        // when
        String key = SyncMarker.key(NS, marker);
        JsonNode metadata = Json.json().readTree(SyncMarker.metadata(NS, marker, "l1", AT));

        // then: a backup folder <namespace>/<name>/<uid>/metadata.json, as Stork's sync lists them
        assertThat(StorkBackups.metadataOf(NS, key)).contains(marker);
        assertThat(key).isEqualTo(NS + "/" + marker + "/" + metadata.path("metadata").path("uid").asText() + "/metadata.json");
        // and Stork's deleteBackup deletes metadata.json at status.backupPath when the copy goes with reclaimPolicy Delete
        assertThat(key).isEqualTo(metadata.path("status").path("backupPath").asText() + "/metadata.json");
        assertThat(metadata.path("status").path("stage").asText()).as("Final: Stork's controller leaves the copy alone").isEqualTo("Final");
        assertThat(metadata.path("spec").path("backupLocation").asText()).isEqualTo("l1");
        assertThat(metadata.path("metadata").path("annotations").path(SyncMarker.ANNOTATION).asText()).isEqualTo(marker);
        // and Stork names its copy by the trigger time to the second (getSyncedBackupName)
        assertThat(metadata.path("status").path("triggerTimestamp").asText()).isEqualTo("2026-12-07T21:00:00Z");
    }

    @Test
    void should_name_one_marker_per_sync_request_and_the_same_when_asked_again() {
        assertThat(SyncMarker.name("l1", "east", "request-1")).isEqualTo(SyncMarker.name("l1", "east", "request-1"))
                .isNotEqualTo(SyncMarker.name("l1", "east", "request-2")).isNotEqualTo(SyncMarker.name("l1", "west", "request-1"))
                .matches("bse-sync-[0-9a-f]{16}");
        assertThat(SyncMarker.uid("bse-sync-0123456789abcdef")).isEqualTo(SyncMarker.uid("bse-sync-0123456789abcdef"));
    }
}
