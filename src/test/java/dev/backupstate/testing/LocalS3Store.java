package dev.backupstate.testing;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The second S3 implementation the bucket tests run against: Robothy's LocalS3 (Netty, in memory),
 * started in the test JVM on a port of its own. It does not check signatures, so the tests of
 * credential causes stay on S3Proxy; what it proves is that what the engine uploads, lists and deletes
 * works on an S3 server other than S3Proxy.
 */
public final class LocalS3Store implements AutoCloseable {

    private final LocalS3 server;
    private final int port;
    private final S3Client client;

    public LocalS3Store() {
        port = FreePort.find();
        server = LocalS3.builder().port(port).mode(LocalS3Mode.IN_MEMORY).build();
        server.start();
        client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The test's own client of the store, to arrange and inspect its objects. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    @Override
    public void close() {
        client.close();
        server.shutdown();
    }
}
