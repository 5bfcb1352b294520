package dev.backupstate.bucket;

import dev.backupstate.cluster.HomeSecrets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A location's credentials reference, resolved when the bucket is reached (never stored in the catalog,
 * never logged):
 * <ul>
 * <li>{@code secret:NAMESPACE/NAME}: a Secret on the engine's own cluster with keys {@code accessKey} and
 * {@code secretKey} (or {@code aws_access_key_id} / {@code aws_secret_access_key});</li>
 * <li>{@code env:PREFIX}: the environment variables {@code PREFIX_ACCESS_KEY} and {@code PREFIX_SECRET_KEY};</li>
 * <li>{@code NAME}: the setting {@code bse.credentials.NAME = ACCESS_KEY:SECRET_KEY}, or the environment
 * variable {@code BSE_CREDENTIALS_NAME} (upper case, '-' and '.' as '_') in the same form;</li>
 * <li>none: anonymous requests.</li>
 * </ul>
 */
public final class BucketCredentials {

    private final Map<String, String> settings;
    private final Function<String, String> environment;
    private final HomeSecrets secrets;

    private final AwsCredentialsProvider identity;

    public BucketCredentials(Map<String, String> settings, Function<String, String> environment, HomeSecrets secrets) {
        this(settings, environment, secrets, null);
    }

    /** {@code identity}: what {@link #WORKLOAD_IDENTITY} means here; null: the SDK's default credential chain. */
    public BucketCredentials(Map<String, String> settings, Function<String, String> environment, HomeSecrets secrets,
                             AwsCredentialsProvider identity) {
        this.settings = settings;
        this.environment = environment;
        this.secrets = secrets;
        this.identity = identity;
    }

    /**
     * The reference of a check run on a cluster (bse check-location): the SDK's default credential chain,
     * i.e. the pod's workload identity. No document can name it (a credentials name has no such form).
     */
    public static final String WORKLOAD_IDENTITY = "workload-identity:";

    public AwsCredentialsProvider resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            return AnonymousCredentialsProvider.create();
        }
        if (reference.equals(WORKLOAD_IDENTITY)) {
            return identity != null ? identity : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build();
        }
        if (reference.startsWith("secret:")) {
            Map<String, String> keys = secrets.readAll(reference.substring("secret:".length()).trim());
            String access = keys.getOrDefault("accessKey", keys.get("aws_access_key_id"));
            String secret = keys.getOrDefault("secretKey", keys.get("aws_secret_access_key"));
            if (access == null || secret == null) {
                throw new IllegalArgumentException("credentials " + reference + " lack accessKey and secretKey");
            }
            return keys(access, secret);
        }
        if (reference.startsWith("env:")) {
            String prefix = reference.substring("env:".length()).trim();
            String access = environment.apply(prefix + "_ACCESS_KEY");
            String secret = environment.apply(prefix + "_SECRET_KEY");
            if (access == null || secret == null) {
                throw new IllegalArgumentException("credentials " + reference + ": " + prefix + "_ACCESS_KEY and "
                        + prefix + "_SECRET_KEY are not both set");
            }
            return keys(access, secret);
        }
        String pair = settings.get("bse.credentials." + reference);
        if (pair == null) {
            pair = environment.apply("BSE_CREDENTIALS_" + reference.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"));
        }
        if (pair == null || !pair.contains(":")) {
            throw new IllegalArgumentException("credentials " + reference + " are not configured (bse.credentials."
                    + reference + " = ACCESS_KEY:SECRET_KEY)");
        }
        return keys(pair.substring(0, pair.indexOf(':')), pair.substring(pair.indexOf(':') + 1));
    }

    private static AwsCredentialsProvider keys(String access, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(access.trim(), secret.trim()));
    }
}
