package dev.backupstate.model;

import java.util.Locale;

/**
 * Identifies the data a location points at: two locations with the same key share a bucket folder,
 * so they must never sync at once. Normalised so that spelling differences do not hide a clash.
 */
public record BucketKey(String endpoint, String bucket, String prefix) {

    public BucketKey {
        endpoint = endpoint == null ? "" : endpoint.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        bucket = bucket == null ? "" : bucket.trim();
        prefix = prefix == null ? "" : prefix.trim().replaceAll("^/+|/+$", "");
    }

    /** True when the two share objects: the same endpoint and bucket, one prefix inside the other. */
    public boolean overlaps(BucketKey other) {
        if (!endpoint.equals(other.endpoint) || !bucket.equals(other.bucket)) {
            return false;
        }
        return inside(prefix, other.prefix) || inside(other.prefix, prefix);
    }

    private static boolean inside(String outer, String inner) {
        return outer.isEmpty() || inner.equals(outer) || inner.startsWith(outer + "/");
    }

    @Override
    public String toString() {
        return endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
