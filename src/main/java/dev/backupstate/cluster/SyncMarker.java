package dev.backupstate.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * How the engine sees Stork's sync pass over a location, which leaves no trace of its own (backupsync.go at
 * the pinned commit: no Event, no status, errors only in its log). A marker is a backup that is not one: a
 * metadata.json written where Stork lists ({@code <admin namespace>/<marker>/<uid>/}) by a Job under the
 * cluster's identity, as Stork's own would be. A pass lists the location's folders first and then copies
 * each one it lacks; so the marker's copy appearing on the cluster says a pass listed the location after
 * the marker was written. The engine then deletes that copy (Stork forced {@code reclaimPolicy: Retain}
 * on it: the marker stays in the bucket), and when the copy appears again, the next pass has begun, which
 * Stork starts only after the previous one ended ({@code time.After} in one loop): that pass has copied
 * every backup that was in the bucket before the marker. Its copy is then deleted with
 * {@code reclaimPolicy: Delete}, and Stork's finalizer deletes the marker from the bucket at its
 * {@code status.backupPath}, under the cluster's identity.
 */
public final class SyncMarker {

    /** Ours, on the marker's metadata.json and so on every copy of it: the marker's name. */
    public static final String ANNOTATION = "backupstate.dev/sync-marker";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncMarker() {
    }

    /** The marker (and the Job that writes it) of one sync request of a location on a cluster. */
    public static String name(String location, String cluster, String request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("sync|" + location + "|" + cluster + "|" + request).getBytes(StandardCharsets.UTF_8));
            return "bse-sync-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The uid the marker's metadata gives it: fixed by its name, so a Job run again writes the same folder. */
    public static String uid(String marker) {
        return UUID.nameUUIDFromBytes(marker.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Where Stork keeps a backup's files ({@code GetObjectPath}: namespace/name/uid), for the marker. */
    public static String path(String namespace, String marker) {
        return namespace + "/" + marker + "/" + uid(marker);
    }

    /** The key of the marker's metadata.json. */
    public static String key(String namespace, String marker) {
        return path(namespace, marker) + "/" + StorkBackups.METADATA;
    }

    /**
     * The marker's metadata.json: an ApplicationBackup of no namespace, finished and Successful, so Stork's
     * controller leaves its copy alone (stage Final) and deletes it at its backupPath when it goes with
     * reclaimPolicy Delete (no volumes: no driver is asked).
     */
    public static byte[] metadata(String namespace, String marker, String location, Instant written) {
        ObjectNode backup = JSON.createObjectNode();
        backup.put("apiVersion", AgentContract.APPLICATION_BACKUP.getGroup() + "/" + AgentContract.APPLICATION_BACKUP.getVersion());
        backup.put("kind", AgentContract.APPLICATION_BACKUP.getKind());
        ObjectNode metadata = backup.putObject("metadata");
        metadata.put("name", marker);
        metadata.put("namespace", namespace);
        metadata.put("uid", uid(marker));
        metadata.putObject("labels").put(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY);
        metadata.putObject("annotations").put(ANNOTATION, marker);
        ObjectNode spec = backup.putObject("spec");
        spec.put("backupLocation", location);
        spec.putArray("namespaces");
        spec.put("reclaimPolicy", "Delete");
        ObjectNode status = backup.putObject("status");
        status.put("stage", "Final");
        status.put("status", "Successful");
        status.put("reason", "a sync marker of the backup state engine, not a backup");
        status.put("backupPath", path(namespace, marker));
        status.put("triggerTimestamp", written.truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            return JSON.writeValueAsBytes(backup);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings is always JSON", e);
        }
    }

    /** Whether Stork's controller has taken the copy (its cleanup finalizer): only then does its deletion delete the marker. */
    public static boolean heldByStork(GenericKubernetesResource copy) {
        var finalizers = copy.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(StorkBackups.FINALIZER_CLEANUP);
    }

    /** The marker an ApplicationBackup is a copy of, or null for a backup. */
    public static String of(GenericKubernetesResource backup) {
        var annotations = backup.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }
}
