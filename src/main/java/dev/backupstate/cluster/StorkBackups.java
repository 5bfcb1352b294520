package dev.backupstate.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.FoundBackup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stork's backups as they exist outside the engine, read from the sources at {@link AgentContract#STORK_SOURCE}:
 *
 * <ul>
 *   <li>In the bucket (applicationbackup.go GetObjectPath, uploadMetadata; objectstore/s3 GetBucket opens
 *       {@code location.path} itself, so there is no prefix): {@code <namespace>/<backup name>/<uid>/}
 *       with {@code resources.json}, {@code crds.json}, {@code namespaces.json} and {@code metadata.json},
 *       the ApplicationBackup object itself as JSON.</li>
 *   <li>On a cluster that did not take the backup (backupsync.go, syncBackupsFromLocation and
 *       getSyncedBackupName): while its BackupLocation has {@code location.sync: true}, Stork creates a
 *       copy of every metadata.json it has not got, named {@code NAME-<trigger time as 2006-01-02-150405>}
 *       (the original name for a scheduled backup), with {@code reclaimPolicy: Retain} and the original's
 *       labels and annotations.</li>
 * </ul>
 *
 * <p>So the engine writes what it needs to know again on the object's metadata (our annotations
 * {@link #ANNOTATION_BACKUP} and {@link #ANNOTATION_CLUSTER}), and finds a backup on any cluster by them.
 */
public final class StorkBackups {

    /** Ours, an annotation on every ApplicationBackup the engine writes: the backup's name in the catalog. */
    public static final String ANNOTATION_BACKUP = "backupstate.dev/backup";
    /** Ours, an annotation: the cluster that took the backup (Stork's object does not say). */
    public static final String ANNOTATION_CLUSTER = "backupstate.dev/cluster";
    /** Stork's (applicationbackupschedule.go): a scheduled backup keeps its name when synced. */
    public static final String ANNOTATION_SCHEDULE_NAME = "stork.libopenstorage.org/applicationBackupScheduleName";
    /** Stork's (controllers.go): the finalizer that makes a deletion wait for the data's. */
    public static final String FINALIZER_CLEANUP = "stork.libopenstorage.org/finalizer-cleanup";
    public static final String METADATA = "metadata.json";
    /** Stork's nameTimeSuffixFormat, 2006-01-02-150405 in Go's notation. */
    public static final DateTimeFormatter SYNCED_SUFFIX = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every field of a Stork ApplicationBackup this class reads (ContractTest holds them to Stork's types). */
    public static final List<String> READS = List.of("metadata.name", "metadata.annotations{}", "metadata.creationTimestamp",
            "metadata.deletionTimestamp", "spec.namespaces[]", "spec.backupLocation", "spec.reclaimPolicy", "status.status",
            "status.triggerTimestamp");

    private StorkBackups() {
    }

    /** The folder of every copy of a backup in the bucket: {@code <namespace>/<name>/}. */
    public static String folder(String namespace, String backup) {
        return namespace + "/" + backup + "/";
    }

    /** The backup a key names when it is a {@code <namespace>/<name>/<uid>/metadata.json}, else empty. */
    public static Optional<String> metadataOf(String namespace, String key) {
        if (!key.startsWith(namespace + "/")) {
            return Optional.empty();
        }
        String[] path = key.substring(namespace.length() + 1).split("/", -1);
        return path.length == 3 && path[2].equals(METADATA) && !path[0].isEmpty() && !path[1].isEmpty()
                ? Optional.of(path[0]) : Optional.empty();
    }

    /**
     * What a Stork ApplicationBackup (a metadata.json, or an object on a cluster) says about the backup:
     * the name users gave it (our annotation; else Stork's name, a synced copy's time suffix taken off),
     * the cluster that took it (our annotation, else unknown), when, its outcome, its base, its namespaces.
     */
    public static FoundBackup found(JsonNode backup) {
        JsonNode metadata = backup.path("metadata");
        JsonNode annotations = metadata.path("annotations");
        Instant triggered = instant(backup.path("status").path("triggerTimestamp"))
                .or(() -> instant(metadata.path("creationTimestamp"))).orElse(null);
        List<String> namespaces = new ArrayList<>();
        backup.path("spec").path("namespaces").forEach(ns -> namespaces.add(ns.asText()));
        return new FoundBackup(name(backup, triggered),
                annotations.hasNonNull(ANNOTATION_CLUSTER) ? annotations.get(ANNOTATION_CLUSTER).asText() : null,
                triggered, status(backup.path("status").path("status").asText(null)),
                annotations.hasNonNull(AgentContract.ANNOTATION_INCREMENTAL_OF) ? annotations.get(AgentContract.ANNOTATION_INCREMENTAL_OF).asText() : null,
                namespaces);
    }

    public static FoundBackup found(GenericKubernetesResource backup) {
        return found(JSON.valueToTree(backup));
    }

    /** The location an ApplicationBackup names ({@code spec.backupLocation}). */
    public static String location(JsonNode backup) {
        return backup.path("spec").path("backupLocation").asText(null);
    }

    public static String location(GenericKubernetesResource backup) {
        return location(JSON.valueToTree(backup));
    }

    private static String name(JsonNode backup, Instant triggered) {
        JsonNode metadata = backup.path("metadata");
        if (metadata.path("annotations").hasNonNull(ANNOTATION_BACKUP)) {
            return metadata.path("annotations").get(ANNOTATION_BACKUP).asText();
        }
        String name = metadata.path("name").asText(null);
        return name == null || triggered == null ? name : withoutSyncSuffix(name, triggered);
    }

    /**
     * A synced copy's name without Stork's suffix. Stork formats the trigger time in its own process's
     * time zone (metav1.Time is read back as local time: backupsync.go, getSyncedBackupName), which the
     * engine cannot know: a suffix within a day's worth of zones of the trigger time is Stork's.
     */
    static String withoutSyncSuffix(String name, Instant triggered) {
        java.util.regex.Matcher suffix = SYNCED.matcher(name);
        if (!suffix.matches()) {
            return name;
        }
        try {
            Instant local = java.time.LocalDateTime.parse(suffix.group(2), SYNCED_SUFFIX_LOCAL).toInstant(ZoneOffset.UTC);
            return Math.abs(java.time.Duration.between(triggered, local).toHours()) <= 14 ? suffix.group(1) : name;
        } catch (java.time.format.DateTimeParseException e) {
            return name;
        }
    }

    private static final java.util.regex.Pattern SYNCED = java.util.regex.Pattern.compile("(.+)-(\\d{4}-\\d{2}-\\d{2}-\\d{6})");
    private static final DateTimeFormatter SYNCED_SUFFIX_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss");

    /** The name Stork gives the copy it syncs of {@code backup} (backupsync.go, getSyncedBackupName), when Stork runs in UTC. */
    public static String syncedName(String name, Instant triggered, boolean scheduled) {
        return scheduled ? name : name + "-" + SYNCED_SUFFIX.format(triggered);
    }

    /**
     * The ApplicationBackup on a cluster that stands for the catalog's backup {@code name}: the one the
     * engine wrote there, or Stork's synced copy of it (found by our annotation, which the copy keeps).
     */
    public static Optional<GenericKubernetesResource> on(KubernetesClient client, String namespace, String name) {
        return among(client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace).list().getItems(), name);
    }

    /** {@link #on} among a cluster's ApplicationBackups as already read (a watch's cache). */
    public static Optional<GenericKubernetesResource> among(List<GenericKubernetesResource> all, String name) {
        List<GenericKubernetesResource> items = all.stream().filter(item -> SyncMarker.of(item) == null).toList();
        Optional<GenericKubernetesResource> own = items.stream().filter(item -> item.getMetadata().getName().equals(name)
                && name.equals(annotation(item, ANNOTATION_BACKUP))).findFirst();
        return own.or(() -> items.stream().filter(item -> name.equals(annotation(item, ANNOTATION_BACKUP))
                || (annotation(item, ANNOTATION_BACKUP) == null && name.equals(found(item).name()))).findFirst());
    }

    /**
     * Every ApplicationBackup on a cluster that stands for the catalog's backup {@code name} of
     * {@code location}: the one the engine wrote, and the copies Stork's sync made (by our annotation,
     * which they keep, or by Stork's name for a copy of a backup the engine did not write).
     */
    public static List<GenericKubernetesResource> allOf(KubernetesClient client, String namespace, String name, String location) {
        return of(client, namespace, location).stream().filter(item -> name.equals(annotation(item, ANNOTATION_BACKUP))
                || (annotation(item, ANNOTATION_BACKUP) == null && name.equals(found(item).name()))).toList();
    }

    /**
     * Every ApplicationBackup on a cluster of {@code location}: what Stork there knows of the location's
     * backups (copies of the engine's sync markers are none).
     */
    public static List<GenericKubernetesResource> of(KubernetesClient client, String namespace, String location) {
        return ofLocation(client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace).list().getItems(),
                location);
    }

    /** {@link #of} among a cluster's ApplicationBackups as already read (a watch's cache). */
    public static List<GenericKubernetesResource> ofLocation(List<GenericKubernetesResource> all, String location) {
        return all.stream().filter(item -> location.equals(location(item)) && SyncMarker.of(item) == null).toList();
    }

    private static String annotation(GenericKubernetesResource resource, String key) {
        return resource.getMetadata().getAnnotations() == null ? null : resource.getMetadata().getAnnotations().get(key);
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (node.isMissingNode() || node.isNull() || node.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.asText()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stork's status word. Only Successful, PartialSuccess and Failed are an end: Stork writes
     * metadata.json with the status it has then, which stays InProgress when volumes failed without the
     * backup being partial (applicationbackup.go, backupResources), and an object on a cluster may be
     * Pending, InProgress or have no status yet. None of those is a finished backup.
     */
    public static BackupStatus status(String word) {
        if (word == null) {
            return BackupStatus.IN_PROGRESS;
        }
        return switch (word) {
            case "Successful" -> BackupStatus.SUCCESS;
            case "PartialSuccess", "Partial Success" -> BackupStatus.PARTIAL_SUCCESS;
            case "Failed", "Failure" -> BackupStatus.FAILURE;
            default -> BackupStatus.IN_PROGRESS;
        };
    }
}
