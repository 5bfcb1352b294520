package dev.backupstate.bucket;

import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.Observation.LocationValidated;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.UUID;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Classic: whether the engine can use a location's bucket with its credentials, the matrix's way:
 * the bucket exists and can be listed (one listing answers both), and a probe object can be written,
 * read back and deleted. The first step that fails names the cause.
 */
public final class BucketCheck {

    static final String PROBE_FOLDER = ".backupstate-probe/";

    private final Buckets buckets;

    public BucketCheck(Buckets buckets) {
        this.buckets = buckets;
    }

    public LocationValidated validate(BackupLocation location) {
        return validate(location, false);
    }

    /**
     * {@code asStork}: a bucket that does not exist is created first, as Stork does before every backup
     * (applicationbackup.go at the pinned commit, createBackupLocationPath: CreateBucket, best effort,
     * its failure only a Warning Event), so that it is no reason to call the location Invalid.
     */
    public LocationValidated validate(BackupLocation location, boolean asStork) {
        if (location.type() == dev.backupstate.model.LocationType.NFS) {
            // an NFS share is reached by mounting it on a cluster, which this engine does not do yet;
            // tried through the S3 API it would fail with a cause that says nothing of that
            return new LocationValidated(location.name(), false, dev.backupstate.model.LocationType.NFS_NOT_REACHED);
        }
        String bucket = location.bucket().bucket();
        String step = "reach";
        try {
            S3Client s3 = buckets.client(location);
            // a listing (not a HEAD) answers with an error code: no such bucket, signature, key, access
            step = "list";
            try {
                s3.listObjectsV2(b -> b.bucket(bucket).prefix(Buckets.root(location)).maxKeys(1));
            } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
                if (!asStork) {
                    throw e;
                }
                step = "create";
                s3.createBucket(b -> b.bucket(bucket));
            }
            String key = Buckets.root(location) + PROBE_FOLDER + UUID.randomUUID();
            String content = "backup-state-engine probe " + key;
            step = "write";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
            step = "read";
            String read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
            step = "delete";
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            if (!read.equals(content)) {
                return new LocationValidated(location.name(), false, "the probe object read back differs from what was written");
            }
            return new LocationValidated(location.name(), true, null);
        } catch (RuntimeException e) {
            return new LocationValidated(location.name(), false, cause(step, bucket, e));
        }
    }

    /** The cause of a failed step, in the words an operator looks for. */
    static String cause(String step, String bucket, Throwable failure) {
        if (failure instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code)) {
                return "no such bucket: " + bucket;
            }
            if ("SignatureDoesNotMatch".equals(code)) {
                return "signature mismatch (wrong secret key?) at step " + step;
            }
            if ("InvalidAccessKeyId".equals(code)) {
                return "access key unknown to the endpoint at step " + step;
            }
            if (s3.statusCode() == 403) {
                return "access denied at step " + step + (code == null ? "" : " (" + code + ")");
            }
            return "step " + step + " failed: HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException
                    || cause instanceof java.net.SocketTimeoutException) {
                return "timeout at step " + step;
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return "endpoint unreachable: " + cause.getMessage();
            }
        }
        return "step " + step + " failed: " + failure.getMessage();
    }
}
