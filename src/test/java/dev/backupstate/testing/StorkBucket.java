package dev.backupstate.testing;

import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backups in a bucket as Stork lays them out (applicationbackup.go GetObjectPath and uploadMetadata at the
 * commit in AgentContract.STORK_SOURCE): {@code NAMESPACE/NAME/UID/} with resources.json, namespaces.json,
 * crds.json and metadata.json, the ApplicationBackup object itself, for tests that need a bucket to
 * already hold backups.
 */
public final class StorkBucket {

    public static final List<String> FILES = List.of("resources.json", "namespaces.json", "crds.json", "metadata.json");

    private final S3Client s3;
    private final String bucket;
    private final String namespace;

    public StorkBucket(S3Client s3, String bucket, String namespace) {
        this.s3 = s3;
        this.bucket = bucket;
        this.namespace = namespace;
    }

    /** A backup Stork took on {@code cluster} for the engine (with the engine's annotations), under a new uid; its folder. */
    public String write(String name, String location, String cluster, String status, List<String> namespaces) {
        String uid = UUID.randomUUID().toString();
        String folder = namespace + "/" + name + "/" + uid + "/";
        for (String file : FILES) {
            String body = file.equals("metadata.json") ? metadata(name, uid, location, cluster, status, namespaces) : "[]";
            s3.putObject(b -> b.bucket(bucket).key(folder + file), RequestBody.fromString(body));
        }
        return folder;
    }

    /** The ApplicationBackup JSON Stork uploads as metadata.json. */
    public String metadata(String name, String uid, String location, String cluster, String status, List<String> namespaces) {
        String list = String.join(",", namespaces.stream().map(ns -> "\"" + ns + "\"").toList());
        String annotations = cluster == null ? "" : "\"backupstate.dev/backup\": \"" + name + "\", \"backupstate.dev/cluster\": \"" + cluster + "\"";
        return """
                {"apiVersion": "stork.libopenstorage.org/v1alpha1", "kind": "ApplicationBackup",
                 "metadata": {"name": "%s", "namespace": "%s", "uid": "%s", "creationTimestamp": "2026-11-20T01:00:00Z",
                              "finalizers": ["stork.libopenstorage.org/finalizer-cleanup"], "annotations": {%s}},
                 "spec": {"backupLocation": "%s", "namespaces": [%s], "reclaimPolicy": "Retain"},
                 "status": {"status": "%s", "stage": "Final", "triggerTimestamp": "2026-11-20T01:00:00Z",
                            "backupPath": "%s/%s/%s"}}
                """.formatted(name, namespace, uid, annotations, location, list, status, namespace, name, uid);
    }

    public void put(String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }
}
