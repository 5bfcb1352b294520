package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backupstate.bucket.BucketCheck;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation.LocationValidated;
import org.junit.jupiter.api.Test;

/**
 * NFS locations (issue 22, finding 6): the engine cannot reach a share as Stork does (KDMP executor Jobs
 * mounting it on the cluster), so it says so instead of trying the S3 API, and never writes one to a
 * cluster as an S3 location.
 */
class NfsLocationsTest {

    private static final BackupLocation NFS = new BackupLocation("share", BackupLocationState.VALIDATION_IN_PROGRESS, LocationType.NFS,
            new BucketKey("nfs.example:/exports/backups", "", ""), null, null, "alice", null);

    @Test
    void should_hold_an_nfs_location_invalid_saying_why_without_asking_any_bucket() {
        // given a check without any bucket client: an S3 request would throw
        BucketCheck check = new BucketCheck(null);

        // when
        LocationValidated verdict = check.validate(NFS);

        // then
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.cause()).isEqualTo(LocationType.NFS_NOT_REACHED).contains("S3 API only", "KDMP");
    }

    @Test
    void should_never_write_an_nfs_location_to_a_cluster_as_an_s3_one() {
        assertThatThrownBy(() -> StorkLocations.backupLocation(NFS, "kube-system", null))
                .hasMessageContaining("backup location share is NFS");
    }
}
