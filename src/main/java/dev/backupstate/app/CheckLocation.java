package dev.backupstate.app;

import dev.backupstate.bucket.BucketCheck;
import dev.backupstate.bucket.BucketCredentials;
import dev.backupstate.bucket.Buckets;
import dev.backupstate.cluster.SyncMarker;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation.LocationValidated;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code bse check-location --endpoint URL --bucket B [--prefix P] [--region R] [--as stork] [--marker M --location L]}: the
 * Classic validation (list, write, read back, delete a probe) run where it is started, with the default
 * credential chain; {@code --as stork}, as the engine's check Job runs it, does what Stork will do: its
 * credential chain ({@link #storkChain()}) and its CreateBucket first. The verdict ({@code Valid} or {@code Invalid: CAUSE}) goes to stdout and to the
 * container's termination message ({@code /dev/termination-log}, or BSE_TERMINATION_LOG), where the
 * engine reads it; the exit status is 0 for Valid. With {@code --marker}, a Valid check then writes that
 * sync marker ({@link SyncMarker}) of Stork's BackupLocation {@code --location} under {@code --prefix};
 * with {@code --expect-empty FOLDER}, it is Valid only if that folder lists empty (a deleted backup's).
 */
public final class CheckLocation {

    private CheckLocation() {
    }

    /**
     * The credentials Stork finds for a BackupLocation without keys (libopenstorage/secrets
     * aws/credentials NewAWSCredentials at the Stork commit AgentContract pins): the environment
     * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the node's EC2 role ({@code useIam}), the shared
     * credentials file; never a web identity token (IRSA) or container credentials, which that Stork
     * does not read. A check that found keys Stork cannot would call a location Valid that Stork fails on.
     */
    static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider storkChain() {
        return software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain.builder().credentialsProviders(
                software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider.create(),
                software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider.create(),
                software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create()).build();
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out) {
        if (!java.util.Arrays.asList(args).contains("--endpoint") || !java.util.Arrays.asList(args).contains("--bucket")) {
            out.println("usage: bse check-location --endpoint URL --bucket BUCKET [--prefix PREFIX] [--region REGION] [--as stork] [--marker MARKER --location LOCATION | --expect-empty NAMESPACE/BACKUP/]");
            return 2;
        }
        String verdict = verdict(args, null);
        out.println(verdict);
        Path log = Path.of(environment.getOrDefault("BSE_TERMINATION_LOG", "/dev/termination-log"));
        try {
            Files.writeString(log, verdict);
        } catch (IOException e) {
            out.println("(the termination log " + log + " cannot be written: " + e.getMessage() + ")");
        }
        return verdict.equals("Valid") ? 0 : 1;
    }

    /**
     * The verdict of a check with these arguments (those of the Job's container), reaching the bucket as
     * {@code identity} (null: the default credential chain, as in a pod).
     */
    public static String verdict(String[] args, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider identity) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        BackupLocation location = new BackupLocation("check", BackupLocationState.VALIDATION_IN_PROGRESS, LocationType.S3,
                new BucketKey(options.get("--endpoint"), options.get("--bucket"), options.getOrDefault("--prefix", "")),
                options.getOrDefault("--region", "us-east-1"), BucketCredentials.WORKLOAD_IDENTITY, null, null);
        boolean asStork = "stork".equals(options.get("--as"));
        if (identity == null && asStork) {
            identity = storkChain();
        }
        try (Buckets buckets = new Buckets(new BucketCredentials(Map.of(), name -> null, null, identity), Duration.ofSeconds(30))) {
            LocationValidated checked = new BucketCheck(buckets).validate(location, asStork);
            if (!checked.valid()) {
                return "Invalid: " + checked.cause();
            }
            String marker = options.get("--marker");
            if (marker != null) {
                return mark(buckets, location, options.getOrDefault("--prefix", ""), marker, options.get("--location"));
            }
            String folder = options.get("--expect-empty");
            if (folder != null) {
                return empty(buckets, location, folder);
            }
            return "Valid";
        } catch (RuntimeException e) {
            return "Invalid: " + e.getMessage();
        }
    }

    /**
     * A deleted backup's folder, listed as Stork reaches the bucket: Valid when it holds nothing, else
     * Invalid naming how many keys remain and the first of them.
     */
    private static String empty(Buckets buckets, BackupLocation bucket, String folder) {
        if (!folder.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?/")) {
            return "Invalid: --expect-empty needs <namespace>/<backup>/";
        }
        try {
            var listed = buckets.client(bucket).listObjectsV2(b -> b.bucket(bucket.bucket().bucket()).prefix(folder).maxKeys(5));
            if (listed.contents().isEmpty()) {
                return "Valid";
            }
            return "Invalid: " + (Boolean.TRUE.equals(listed.isTruncated()) ? "more than " + listed.contents().size() : listed.contents().size())
                    + " keys remain under " + folder + " ("
                    + String.join(", ", listed.contents().stream().map(object -> object.key()).toList()) + ")";
        } catch (RuntimeException e) {
            return "Invalid: " + folder + " could not be listed: " + e.getMessage();
        }
    }

    /**
     * A sync's marker ({@link SyncMarker}) written where Stork lists the location: the Job that checks the
     * bucket as Stork reaches it also leaves what Stork's next pass will copy.
     */
    private static String mark(Buckets buckets, BackupLocation bucket, String namespace, String marker, String location) {
        if (!marker.matches("bse-sync-[0-9a-f]{16}") || location == null || !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            return "Invalid: a sync marker needs --marker bse-sync-<16 hex>, --location and --prefix <admin namespace>";
        }
        String key = SyncMarker.key(namespace, marker);
        try {
            buckets.client(bucket).putObject(b -> b.bucket(bucket.bucket().bucket()).key(key),
                    RequestBody.fromBytes(SyncMarker.metadata(namespace, marker, location, java.time.Instant.now())));
            return "Valid";
        } catch (RuntimeException e) {
            return "Invalid: the sync marker " + key + " could not be written: " + e.getMessage();
        }
    }
}
