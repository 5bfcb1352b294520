package dev.backupstate.bucket;

import dev.backupstate.model.Command;

import dev.backupstate.cluster.StorkBackups;
import dev.backupstate.engine.Catalog;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.BackupDataDeleted;
import dev.backupstate.model.Observation.BackupDataDeletionFailed;
import dev.backupstate.model.Observation.LocationValidated;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.store.PendingCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket side of the outbox (Classic): validating a location, deleting a backup's folder. Each
 * method returns what it observed for the rules.
 */
public final class BucketEffects {

    private static final int DELETE_BATCH = 1000;

    private final Buckets buckets;
    private final BucketCheck check;
    private final Catalog catalog;
    private final Mode mode;
    private final Consumer<Observation> report;
    private final String namespace;
    private final BucketGuard guard;

    /**
     * {@code report}: how a failure is told to the rules before the command is left to be tried again;
     * {@code namespace}: Stork's admin namespace, the folder its backups are under in a bucket.
     */
    public BucketEffects(Buckets buckets, Catalog catalog, Mode mode, Consumer<Observation> report, String namespace) {
        this(buckets, catalog, mode, report, namespace, new BucketGuard());
    }

    /** {@code guard}: shared with the bucket polls, so a deletion and a poll of one bucket are decided one after the other. */
    public BucketEffects(Buckets buckets, Catalog catalog, Mode mode, Consumer<Observation> report, String namespace, BucketGuard guard) {
        this.guard = guard;
        this.namespace = namespace;
        this.buckets = buckets;
        this.check = new BucketCheck(buckets);
        this.catalog = catalog;
        this.mode = mode;
        this.report = report;
    }

    /** VALIDATE_LOCATION. */
    public LocationValidated validate(PendingCommand pending) {
        return check.validate(((Command.ValidateLocation) pending.command()).location());
    }

    /**
     * DELETE_BUCKET_DATA, reported to the rules while no poll of the bucket runs: every object under the backup's folder as Stork lays it out
     * ({@code NAMESPACE/BACKUP/}, every uid it had: {@link StorkBackups}), in batches of 1,000. A failure is
     * reported (the backup stays Deleting with the cause) and the command stays in the outbox.
     */
    public void deleteData(PendingCommand pending) {
        Command.DeleteBucketData command = (Command.DeleteBucketData) pending.command();
        guard.exclusively(command.location().bucket(), () -> {
            report.accept(deleteFolder(command));
            return null;
        });
    }

    private Observation deleteFolder(Command.DeleteBucketData command) {
        String backup = command.backup().name();
        BackupLocation location = command.location();
        String folder = StorkBackups.folder(namespace, backup);
        String bucket = location.bucket().bucket();
        try {
            S3Client s3 = buckets.client(location);
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder).maxKeys(DELETE_BATCH))) {
                List<ObjectIdentifier> keys = new ArrayList<>();
                for (S3Object object : page.contents()) {
                    keys.add(ObjectIdentifier.builder().key(object.key()).build());
                }
                if (!keys.isEmpty()) {
                    DeleteObjectsResponse deleted = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                    if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
                        throw new IllegalStateException(deleted.errors().size() + " objects not deleted, first "
                                + deleted.errors().get(0).key() + ": " + deleted.errors().get(0).code());
                    }
                }
            }
            // done when the folder lists empty, not when the deletes were answered
            List<S3Object> left = s3.listObjectsV2(b -> b.bucket(bucket).prefix(folder).maxKeys(1)).contents();
            if (!left.isEmpty()) {
                throw new IllegalStateException("keys are still there under " + folder + ", first " + left.get(0).key());
            }
            return new BackupDataDeleted(backup);
        } catch (RuntimeException e) {
            String cause = e instanceof IllegalStateException ? e.getMessage() : BucketCheck.cause("delete", bucket, e);
            report.accept(new BackupDataDeletionFailed(backup, cause));
            throw new IllegalStateException("data of backup " + backup + " not deleted: " + cause, e);
        }
    }

    /** Classic, periodically: every location checked again; those whose verdict changed. */
    public List<LocationValidated> revalidate() {
        List<LocationValidated> changed = new ArrayList<>();
        if (mode != Mode.CLASSIC) {
            return changed;
        }
        for (var resource : catalog.all(ResourceKind.BACKUP_LOCATION)) {
            BackupLocation location = (BackupLocation) resource;
            if (location.state() == BackupLocationState.VALID || location.state() == BackupLocationState.INVALID) {
                LocationValidated now = check.validate(location);
                if (now.valid() != (location.state() == BackupLocationState.VALID)) {
                    changed.add(now);
                }
            }
        }
        return changed;
    }

}
