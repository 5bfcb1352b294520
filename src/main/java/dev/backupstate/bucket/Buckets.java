package dev.backupstate.bucket;

import dev.backupstate.model.BackupLocation;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * One S3 client per location (AWS SDK v2, which camel-aws2-s3 brings), rebuilt when the location's
 * endpoint, region or credentials reference change. Requests time out and are not retried: the routes
 * decide when to try again. Endpoints other than AWS's are addressed path-style (MinIO, Ceph, S3Proxy)
 * and get uploads every S3 implementation reads (no aws-chunked encoding, checksums only where required).
 */
public final class Buckets implements AutoCloseable {

    private record Entry(String key, S3Client client) {
    }

    private final BucketCredentials credentials;
    private final Duration timeout;
    private final Map<String, Entry> clients = new ConcurrentHashMap<>();

    public Buckets(BucketCredentials credentials, Duration timeout) {
        this.credentials = credentials;
        this.timeout = timeout;
    }

    public S3Client client(BackupLocation location) {
        String key = location.bucket().endpoint() + "|" + location.region() + "|" + location.credentials();
        return clients.compute(location.name(), (name, old) -> {
            if (old != null && old.key().equals(key)) {
                return old;
            }
            if (old != null) {
                old.client().close();
            }
            return new Entry(key, build(location));
        }).client();
    }

    private S3Client build(BackupLocation location) {
        String endpoint = location.bucket().endpoint();
        boolean aws = isAws(endpoint);
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(location.region() == null ? "us-east-1" : location.region()))
                .forcePathStyle(!aws)
                // Not every S3-compatible store decodes aws-chunked uploads with trailing checksums (the
                // SDK's default since 2.30): elsewhere than AWS an upload is one classic signed body, and
                // checksums are sent and checked only where an operation requires them.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(aws).build())
                .requestChecksumCalculation(aws ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(aws ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials.resolve(location.credentials()))
                .overrideConfiguration(c -> c.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout).retryPolicy(RetryPolicy.none()))
                .build();
    }

    /** AWS's own S3 endpoints: s3.amazonaws.com, s3.REGION.amazonaws.com, and their dual-stack and China forms. */
    static boolean isAws(String endpoint) {
        String host = URI.create(endpoint).getHost();
        return host != null && (host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn"));
    }

    /** The key prefix of a location's objects: its prefix and a slash, or nothing. */
    static String root(BackupLocation location) {
        String prefix = location.bucket().prefix();
        return prefix == null || prefix.isBlank() ? "" : prefix.replaceAll("^/+|/+$", "") + "/";
    }

    public void forget(String location) {
        Entry old = clients.remove(location);
        if (old != null) {
            old.client().close();
        }
    }

    @Override
    public void close() {
        clients.values().forEach(entry -> entry.client().close());
        clients.clear();
    }
}
