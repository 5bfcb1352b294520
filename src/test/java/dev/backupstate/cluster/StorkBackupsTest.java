package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.InvalidFieldException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Stork's backups read back: a metadata.json in a bucket and a synced copy on a cluster, as Stork writes them. */
class StorkBackupsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode backup(String name, String annotations, String status) throws Exception {
        return JSON.readTree("""
                {"apiVersion": "stork.libopenstorage.org/v1alpha1", "kind": "ApplicationBackup",
                 "metadata": {"name": "%s", "namespace": "kube-system", "uid": "u-1",
                              "creationTimestamp": "2026-12-01T01:00:05Z", "annotations": {%s}},
                 "spec": {"backupLocation": "l1", "namespaces": ["shop", "billing"], "reclaimPolicy": "Retain"},
                 "status": {"status": "%s", "stage": "Final", "triggerTimestamp": "2026-12-01T01:00:00Z",
                            "backupPath": "kube-system/%s/u-1"}}
                """.formatted(name, annotations, status, name));
    }

    @Test
    void should_read_a_backup_the_engine_made_by_its_annotations() throws Exception {
        // given: what Stork uploads as metadata.json for an ApplicationBackup the engine wrote
        JsonNode file = backup("orders", """
                "backupstate.dev/backup": "orders", "backupstate.dev/cluster": "east", "backupstate.dev/incremental-of": "orders-0"
                """, "PartialSuccess");

        // when
        FoundBackup found = StorkBackups.found(file);

        // then
        assertThat(found).isEqualTo(new FoundBackup("orders", "east", Instant.parse("2026-12-01T01:00:00Z"),
                BackupStatus.PARTIAL_SUCCESS, "orders-0", java.util.List.of("shop", "billing")));
        assertThat(StorkBackups.location(file)).isEqualTo("l1");
    }

    @Test
    void should_give_a_synced_copy_of_a_foreign_backup_the_name_its_users_gave() throws Exception {
        // given: Stork's sync named the copy NAME-<trigger time> (backupsync.go, getSyncedBackupName)
        String synced = StorkBackups.syncedName("payroll", Instant.parse("2026-12-01T01:00:00Z"), false);

        // when
        FoundBackup found = StorkBackups.found(backup(synced, "", "Successful"));

        // then
        assertThat(synced).isEqualTo("payroll-2026-12-01-010000");
        assertThat(found.name()).isEqualTo("payroll");
        assertThat(found.cluster()).as("Stork's object does not say where it was taken").isNull();
        assertThat(StorkBackups.syncedName("daily-1", Instant.parse("2026-12-01T01:00:00Z"), true)).isEqualTo("daily-1");
    }

    @Test
    void should_find_metadata_files_only_in_storks_layout() {
        assertThat(StorkBackups.metadataOf("kube-system", "kube-system/orders/u-1/metadata.json")).contains("orders");
        assertThat(StorkBackups.metadataOf("kube-system", "kube-system/orders/u-1/resources.json")).isEmpty();
        assertThat(StorkBackups.metadataOf("kube-system", "kube-system/orders/metadata.json")).isEmpty();
        assertThat(StorkBackups.metadataOf("kube-system", "other/orders/u-1/metadata.json")).isEmpty();
        assertThat(StorkBackups.folder("kube-system", "orders")).isEqualTo("kube-system/orders/");
    }

    @Test
    void should_refuse_a_name_the_catalog_cannot_hold() throws Exception {
        assertThatThrownBy(() -> StorkBackups.found(backup("Bad_Name", "", "Successful")))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("backup name");
    }

    @Test
    void should_read_a_synced_name_whatever_time_zone_stork_runs_in() throws Exception {
        // given: Stork in UTC+9 named the copy of a backup triggered at 01:00 UTC with 10:00 local time
        FoundBackup found = StorkBackups.found(backup("payroll-2026-12-01-100000", "", "Successful"));

        // then
        assertThat(found.name()).isEqualTo("payroll");
        assertThat(StorkBackups.withoutSyncSuffix("payroll-2025-01-01-000000", Instant.parse("2026-12-01T01:00:00Z")))
                .as("a date in the name far from the trigger time is part of the name").isEqualTo("payroll-2025-01-01-000000");
    }

    @Test
    void should_take_only_storks_end_words_for_a_finished_backup() {
        assertThat(StorkBackups.status("Successful")).isEqualTo(BackupStatus.SUCCESS);
        assertThat(StorkBackups.status("PartialSuccess")).isEqualTo(BackupStatus.PARTIAL_SUCCESS);
        assertThat(StorkBackups.status("Failed")).isEqualTo(BackupStatus.FAILURE);
        // metadata.json keeps InProgress when volumes failed without the backup being partial
        for (String unfinished : new String[] {"InProgress", "Pending", "", null}) {
            assertThat(StorkBackups.status(unfinished)).as(String.valueOf(unfinished)).isEqualTo(BackupStatus.IN_PROGRESS);
        }
    }
}
