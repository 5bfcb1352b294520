package dev.backupstate.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backupstate.cluster.StorkBackups;
import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.InvalidFieldException;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation.BucketPolled;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Classic sync: the backups Stork wrote to a location's bucket ({@link StorkBackups}: {@code
 * NAMESPACE/BACKUP/UID/metadata.json}, no prefix: Stork has none), listed page by page (1,000 keys a
 * page, the listing itself never held whole), as one {@link BucketPolled} observation for the rules to
 * reconcile. metadata.json is read only for backups the catalog does not know or holds as
 * CloudBackupMissing; for the others their key is proof enough that the data is there. Only
 * Valid locations are polled, and each bucket folder by one engine at a time (a lease in the database).
 */
public final class BucketPolls {

    private static final Logger LOG = LoggerFactory.getLogger(BucketPolls.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 1000;

    private final Buckets buckets;
    private final BucketLeases leases;
    private final Catalog catalog;
    private final Mode mode;
    private final String namespace;

    private final BucketGuard guard;
    private final java.util.function.Consumer<dev.backupstate.model.Observation> report;

    /** {@code namespace}: Stork's admin namespace, where the engine's ApplicationBackups are, and so their folder in a bucket. */
    public BucketPolls(Buckets buckets, BucketLeases leases, Catalog catalog, Mode mode, String namespace) {
        this(buckets, leases, catalog, mode, namespace, new BucketGuard(), polled -> { });
    }

    /** {@code report}: where {@link #round()} hands each poll, while it holds the bucket's {@code guard}. */
    public BucketPolls(Buckets buckets, BucketLeases leases, Catalog catalog, Mode mode, String namespace, BucketGuard guard,
                       java.util.function.Consumer<dev.backupstate.model.Observation> report) {
        this.guard = guard;
        this.report = report;
        this.namespace = namespace;
        this.buckets = buckets;
        this.leases = leases;
        this.catalog = catalog;
        this.mode = mode;
    }

    /**
     * Every Valid location polled once (those whose bucket another engine is syncing are left to it), each
     * listing reported for the rules to decide before the bucket is free for a deletion again.
     */
    public int round() {
        int polled = 0;
        if (mode != Mode.CLASSIC) {
            return polled;
        }
        for (var resource : catalog.all(ResourceKind.BACKUP_LOCATION)) {
            BackupLocation location = (BackupLocation) resource;
            if (location.state() == BackupLocationState.VALID) {
                boolean reported = guard.exclusively(location.bucket(), () -> {
                    Optional<BucketPolled> listing = poll(location);
                    listing.ifPresent(report);
                    return listing.isPresent();
                });
                polled += reported ? 1 : 0;
            }
        }
        return polled;
    }

    /** One location now, if its bucket folder is free; empty when another sync holds it or the bucket failed. */
    public Optional<BucketPolled> poll(BackupLocation location) {
        if (!leases.claim(location.bucket())) {
            LOG.info("bucket of location {} is being synced elsewhere; skipped", location.name());
            return Optional.empty();
        }
        try {
            return Optional.of(new BucketPolled(location.name(), list(location)));
        } catch (RuntimeException e) {
            LOG.warn("bucket of location {} could not be listed: {}", location.name(),
                    BucketCheck.cause("list", location.bucket().bucket(), e));
            return Optional.empty();
        } finally {
            leases.release(location.bucket());
        }
    }

    private List<FoundBackup> list(BackupLocation location) {
        S3Client s3 = buckets.client(location);
        String bucket = location.bucket().bucket();
        List<FoundBackup> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(namespace + "/").maxKeys(PAGE))) {
            for (S3Object object : page.contents()) {
                // NAMESPACE/BACKUP/UID/metadata.json: one backup may have had several lives (uids)
                Optional<String> name = StorkBackups.metadataOf(namespace, object.key());
                if (name.isPresent() && seen.add(name.get())) {
                    try {
                        found(s3, bucket, object.key(), name.get(), location.name()).ifPresent(found::add);
                    } catch (InvalidFieldException e) {
                        // one bad key costs that key, never the rest of the sync
                        LOG.warn("{} in bucket {} skipped: {}", printable(object.key()), bucket, e.getMessage());
                    }
                }
            }
            leases.renew(location.bucket());
        }
        return found;
    }

    /** A key as a log line may show it: a bucket is anyone's writing, and must not forge log lines. */
    private static String printable(String key) {
        return key.codePoints().limit(500).collect(StringBuilder::new,
                (text, c) -> text.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)),
                StringBuilder::append).toString();
    }

    /**
     * A backup the catalog knows under this name: its key is proof enough. Otherwise its metadata.json
     * (Stork's ApplicationBackup) is read; one that names another location is that location's.
     */
    private Optional<FoundBackup> found(S3Client s3, String bucket, String key, String name, String location) {
        FoundBackup.checkNames(name, null);
        Optional<Backup> known = catalog.find(ResourceRef.of(ResourceKind.BACKUP, name)).map(Backup.class::cast);
        try {
            if (known.isPresent() && known.get().state() != BackupState.CLOUD_BACKUP_MISSING) {
                return Optional.of(new FoundBackup(name, known.get().cluster(), known.get().created(), null, known.get().incrementalOf(),
                        known.get().namespaces()));
            }
            JsonNode file = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            String named = StorkBackups.location(file);
            if (named != null && !named.equals(location)) {
                return Optional.empty();
            }
            return Optional.of(StorkBackups.found(file));
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidFieldException invalid) {
                throw invalid;
            }
            // its key is there, so its data is: a known backup is not marked missing for an unreadable file
            LOG.warn("{} in bucket {} cannot be read ({})", printable(key), bucket, e.getMessage());
            return known.map(backup -> new FoundBackup(name, backup.cluster(), backup.created(), null, backup.incrementalOf(),
                    backup.namespaces()));
        }
    }
}
