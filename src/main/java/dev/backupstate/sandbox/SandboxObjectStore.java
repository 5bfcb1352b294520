package dev.backupstate.sandbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The sandbox's object store: S3Proxy in this JVM, keeping its objects in files under the data
 * directory (so the bucket outlives a restart, as the catalog does). Speaks the S3 API with signature
 * v2/v4 and the sandbox's access key.
 */
public final class SandboxObjectStore implements AutoCloseable {

    public static final String ACCESS_KEY = "sandbox";
    public static final String SECRET_KEY = "sandbox-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    /** {@code directory} null: objects in memory only (benchmarks). */
    public SandboxObjectStore(Path directory, int port) throws Exception {
        if (directory != null) {
            Files.createDirectories(directory);
        }
        proxy = S3Proxy.builder()
                .blobStore(directory == null ? new org.gaul.s3proxy.nio2blob.TransientNio2BlobStore()
                        : new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            // S3Proxy starts its Jetty asynchronously and offers no future to wait on
            Thread.onSpinWait();
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client with the sandbox's key: what the simulated agents use as their workload identity. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        try {
            client.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // there from an earlier run
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
