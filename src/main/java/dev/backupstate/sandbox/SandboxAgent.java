package dev.backupstate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.backupstate.cluster.AgentContract;
import dev.backupstate.cluster.StorkBackups;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A simulated Stork on one sandbox cluster, doing what Stork's controllers do (libopenstorage/stork at
 * {@link AgentContract#STORK_SOURCE}, pkg/applicationmanager/controllers), one step per pass as its
 * reconcilers do:
 *
 * <ul>
 *   <li><b>ApplicationBackup</b> (applicationbackup.go, Reconcile and handle): first the finalizer
 *       {@value StorkBackups#FINALIZER_CLEANUP}; then the defaults (reclaimPolicy Delete, status.triggerTimestamp
 *       = creation time); then stage Initial: parameters validated (validateApplicationBackupParameters:
 *       Failed with "Error validating parameters: ..." and a Warning Event), namespaces must exist,
 *       the BackupLocation is looked up (missing: only a Warning Event); then PreExecRule (when set), Volumes
 *       (Pending, InProgress), Applications (InProgress), and Final: resources.json, namespaces.json,
 *       crds.json and metadata.json (the object itself) written to {@code <namespace>/<name>/<uid>/} in the
 *       BackupLocation's bucket ({@code location.path}, no prefix), status.backupPath set, Successful or
 *       PartialSuccess. A namespace outside the admin namespace may back up only itself
 *       (namespaceBackupAllowed): a Warning Event and no status at all.</li>
 *   <li><b>Deletion</b> (handle with a deletionTimestamp, deleteBackup): the four files at status.backupPath
 *       are deleted unless reclaimPolicy is Retain and the backup succeeded; then the finalizer goes and
 *       with it the object, also when the deletes failed (Stork only logs the error).</li>
 *   <li><b>Sync</b> (backupsync.go): for every BackupLocation with location.sync, every metadata.json under
 *       {@code <location's namespace>/} whose backup this cluster lacks (same uid) becomes an ApplicationBackup
 *       named NAME-TRIGGERTIME (the original name for a scheduled one), reclaimPolicy Retain. Stork does this
 *       every minute; the sandbox on every pass.</li>
 *   <li><b>ApplicationRestore</b> (applicationrestore.go): its finalizer first; the backup it names must
 *       exist in its namespace, else Stork only logs and tries again (no status, no Event); outside the
 *       admin namespace it may restore only into its own namespace, kube-system included
 *       (namespaceRestoreAllowed: a Warning Event, no status); then Volumes,
 *       Applications, Final with its finish time, the backup's resources.json applied with its namespace
 *       mapping (an existing object replaced with replacePolicy Delete, kept with Retain).</li>
 * </ul>
 *
 * <p>The outcome of a backup or restore follows the label {@value #OUTCOME_LABEL} on the first namespace
 * it covers: {@code PartialSuccess} or {@code Failed}; without it, {@code Successful}. The cluster's workload
 * identity is the sandbox's bucket keys ({@code bucketAccess}) when {@code hasBucketAccess}, else every
 * bucket request is refused as Stork would see a 403 (and Stork's sync fails silently in its log).
 */
public final class SandboxAgent {

    public static final String OUTCOME_LABEL = "sandbox.backupstate.dev/outcome";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> FILES = List.of("resources.json", "namespaces.json", "crds.json", StorkBackups.METADATA);

    private final SandboxCluster cluster;
    private final String namespace;
    private final S3Client bucketAccess;
    private volatile boolean hasBucketAccess;

    /**
     * @param namespace       Stork's admin namespace
     * @param hasBucketAccess whether this cluster's workload identity may use buckets
     */
    public SandboxAgent(SandboxCluster cluster, String namespace, S3Client bucketAccess, boolean hasBucketAccess) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.bucketAccess = bucketAccess;
        this.hasBucketAccess = hasBucketAccess;
    }

    /** The cluster's identity gains or loses the buckets (its keys rotated, its role changed). */
    public void bucketAccess(boolean granted) {
        this.hasBucketAccess = granted;
    }

    /** One pass over everything on this cluster, as Stork's reconcilers would make it. */
    public void work() {
        if (!cluster.isUp()) {
            return;
        }
        try {
            KubernetesClient client = cluster.client();
            for (GenericKubernetesResource location : list(client, AgentContract.BACKUP_LOCATION)) {
                if (Boolean.TRUE.equals(map(location.getAdditionalProperties().get("location")).get("sync"))) {
                    sync(client, location);
                }
            }
            // Stork watches ApplicationBackups in every namespace
            for (GenericKubernetesResource backup : client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                    .inAnyNamespace().list().getItems()) {
                try {
                    reconcile(client, backup);
                } catch (KubernetesClientException e) {
                    // a conflict with the engine's own update: Stork requeues, and so do we
                    LOG.debug("sandbox agent on {}: backup {}: {}", cluster.name(), backup.getMetadata().getName(), e.getMessage());
                }
            }
            // and ApplicationRestores in every namespace
            for (GenericKubernetesResource restore : client.genericKubernetesResources(AgentContract.APPLICATION_RESTORE)
                    .inAnyNamespace().list().getItems()) {
                restore(client, restore);
            }
        } catch (RuntimeException e) {
            LOG.debug("sandbox agent on {}: {}", cluster.name(), e.getMessage());
        }
    }

    private List<GenericKubernetesResource> list(KubernetesClient client, ResourceDefinitionContext kind) {
        return client.genericKubernetesResources(kind).inNamespace(namespace).list().getItems();
    }

    private void reconcile(KubernetesClient client, GenericKubernetesResource backup) {
        var resources = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(backup.getMetadata().getNamespace());
        List<String> finalizers = backup.getMetadata().getFinalizers() == null ? List.of() : backup.getMetadata().getFinalizers();
        if (backup.getMetadata().getDeletionTimestamp() != null) {
            if (finalizers.contains(StorkBackups.FINALIZER_CLEANUP)) {
                try {
                    deleteData(client, backup);
                } catch (RuntimeException e) {
                    // Stork logs "cleanup: ..." and lets the object go all the same (deleteBackup returns
                    // true with the error): the data stays where it was
                    LOG.debug("sandbox agent on {}: cleanup: {}", cluster.name(), e.getMessage());
                }
                backup.getMetadata().setFinalizers(finalizers.stream().filter(f -> !f.equals(StorkBackups.FINALIZER_CLEANUP)).toList());
                resources.resource(backup).update();
            }
            return;
        }
        if (!finalizers.contains(StorkBackups.FINALIZER_CLEANUP)) {
            List<String> more = new ArrayList<>(finalizers);
            more.add(StorkBackups.FINALIZER_CLEANUP);
            backup.getMetadata().setFinalizers(more);
            resources.resource(backup).update();
            return;
        }
        if ("Final".equals(AgentContract.status(backup, AgentContract.STATUS_STAGE))) {
            return;
        }
        if (!namespaceBackupAllowed(backup)) {
            event(client, backup, "Spec.Namespaces should only contain the current namespace");
            return;
        }
        Map<String, Object> spec = editable(backup, "spec");
        Map<String, Object> status = editable(backup, AgentContract.STATUS);
        if (spec.get("reclaimPolicy") == null || "".equals(spec.get("reclaimPolicy")) || status.get("triggerTimestamp") == null) {
            // setDefaults
            if (spec.get("reclaimPolicy") == null || "".equals(spec.get("reclaimPolicy"))) {
                spec.put("reclaimPolicy", "Delete");
            }
            status.putIfAbsent("triggerTimestamp", backup.getMetadata().getCreationTimestamp());
            resources.resource(backup).update();
            return;
        }
        step(client, backup, spec, status);
    }

    /**
     * Stork's rule (applicationbackup.go, namespaceBackupAllowed): an ApplicationBackup outside the admin
     * namespace (and kube-system, Stork's default admin namespace) may back up only its own namespace.
     */
    private boolean namespaceBackupAllowed(GenericKubernetesResource backup) {
        String own = backup.getMetadata().getNamespace();
        if (own.equals(namespace) || own.equals("kube-system")) {
            return true;
        }
        return strings(map(backup.getAdditionalProperties().get("spec")).get("namespaces")).stream().allMatch(own::equals);
    }

    /**
     * Stork's rule for restores (applicationrestore.go, namespaceRestoreAllowed): an ApplicationRestore
     * outside the admin namespace may restore only into its own namespace; unlike backups, kube-system has
     * no exception.
     */
    private boolean namespaceRestoreAllowed(GenericKubernetesResource restore, Map<String, String> mapping) {
        String own = restore.getMetadata().getNamespace();
        return own.equals(namespace) || mapping.values().stream().allMatch(own::equals);
    }

    /** One stage of handle(), in Stork's order. */
    private void step(KubernetesClient client, GenericKubernetesResource backup, Map<String, Object> spec, Map<String, Object> status) {
        String stage = text(status, "stage", "");
        String state = text(status, "status", "");
        List<String> namespaces = strings(spec.get("namespaces"));
        switch (stage) {
            case "" -> {
                String invalid = invalidParameters(spec);
                if (invalid != null) {
                    event(client, backup, invalid);
                    finish(client, backup, status, "Failed", "Error validating parameters: " + invalid);
                    return;
                }
                for (String ns : namespaces) {
                    if (client.namespaces().withName(ns).get() == null) {
                        String message = "error getting namespace " + ns + ": namespaces \"" + ns + "\" not found";
                        event(client, backup, message);
                        finish(client, backup, status, "Failed", "Error checking for namespace " + ns + ": namespaces \"" + ns + "\" not found");
                        return;
                    }
                }
                if (storkLocation(client, backup) == null) {
                    event(client, backup, "error getting backup location path: backuplocations.stork.libopenstorage.org \""
                            + spec.get("backupLocation") + "\" not found");
                }
                advance(client, backup, status, spec.get("preExecRule") != null ? "PreExecRule" : "Volumes",
                        spec.get("preExecRule") != null ? "InProgress" : "Pending");
            }
            case "PreExecRule" -> advance(client, backup, status, "Volumes", "Pending");
            case "Volumes" -> advance(client, backup, status, state.equals("Pending") ? "Volumes" : "Applications", "InProgress");
            case "Applications" -> {
                String outcome = outcome(client, namespaces);
                if (outcome.equals("Failed")) {
                    finish(client, backup, status, "Failed", "sandbox: namespace " + namespaces.get(0) + " is labelled Failed");
                    return;
                }
                String failure = upload(client, backup, status, outcome);
                if (failure != null) {
                    event(client, backup, failure);
                    finish(client, backup, status, "Failed", failure);
                }
            }
            default -> {
                // Final: nothing more to do
            }
        }
    }

    /**
     * What Stork's controller refuses before it starts (pkg/applicationmanager/controllers/applicationbackup.go,
     * validateApplicationBackupParameters): a VM backup with resourceTypes, or with its own exec rules
     * but without skipAutoExecRules; any other backupObjectType than All or VirtualMachine. Stork's words.
     */
    public static String invalidParameters(Map<String, Object> spec) {
        Object objectType = spec.get("backupObjectType");
        if ("VirtualMachine".equals(objectType)) {
            if (spec.get("resourceTypes") instanceof List<?> types && !types.isEmpty()) {
                return "resourceType should be nil for backup Object type VirtualMachine";
            }
            boolean rules = spec.get("preExecRule") != null || spec.get("postExecRule") != null;
            if (rules && !Boolean.TRUE.equals(spec.get("skipAutoExecRules"))) {
                return "exec Rules are specified but skipAutoExecRules is not set to true for backup Object type VirtualMachine";
            }
        } else if (objectType != null && !"".equals(objectType) && !"All".equals(objectType)) {
            return "backup Object Type value is invalid. Allowed value is either All or VirtualMachine";
        }
        return null;
    }

    /**
     * The Final stage's uploads (uploadResources, uploadMetadata): the files under GetObjectPath, the
     * metadata last and with the final status in it. A failure is Stork's "Error uploading resources".
     */
    private String upload(KubernetesClient client, GenericKubernetesResource backup, Map<String, Object> status, String outcome) {
        GenericKubernetesResource location = storkLocation(client, backup);
        String path = backup.getMetadata().getNamespace() + "/" + backup.getMetadata().getName() + "/" + backup.getMetadata().getUid();
        status.put("backupPath", path);
        status.put("stage", "Final");
        status.put("status", outcome);
        status.put("reason", outcome.equals("Successful") ? "Volumes and resources were backed up successfully"
                : "Some volumes and resources were not backed up");
        status.put("finishTimestamp", Instant.now().toString());
        try {
            if (location == null) {
                throw new IllegalStateException("backuplocations.stork.libopenstorage.org \""
                        + map(backup.getAdditionalProperties().get("spec")).get("backupLocation") + "\" not found");
            }
            String bucket = bucket(location);
            S3Client s3 = bucketAccess(location);
            List<String> namespaces = strings(map(backup.getAdditionalProperties().get("spec")).get("namespaces"));
            put(s3, bucket, path + "/resources.json", JSON.writeValueAsBytes(configMaps(client, namespaces)));
            put(s3, bucket, path + "/namespaces.json", JSON.writeValueAsBytes(namespaces.stream().map(ns -> Map.of("metadata", Map.of("name", ns))).toList()));
            put(s3, bucket, path + "/crds.json", JSON.writeValueAsBytes(List.of()));
            put(s3, bucket, path + "/" + StorkBackups.METADATA, JSON.writeValueAsBytes(backup));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            status.put("stage", "Final");
            status.remove("backupPath");
            return "Error uploading resources: " + e.getMessage() + ", namespace: " + backup.getMetadata().getNamespace();
        }
        client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(backup.getMetadata().getNamespace()).resource(backup).update();
        return null;
    }

    /** deleteBackup: Stork's four files at status.backupPath, unless the backup succeeded and is to be retained. */
    private void deleteData(KubernetesClient client, GenericKubernetesResource backup) {
        Map<String, Object> spec = map(backup.getAdditionalProperties().get("spec"));
        String status = AgentContract.status(backup, AgentContract.STATUS_STATUS);
        if (!"Delete".equals(spec.get("reclaimPolicy")) && ("Successful".equals(status) || "PartialSuccess".equals(status))) {
            return;
        }
        GenericKubernetesResource location = storkLocation(client, backup);
        String path = AgentContract.status(backup, "backupPath");
        if (location == null || path == null || path.isEmpty()) {
            // "Can't do anything if the backup location is deleted"
            return;
        }
        String bucket = bucket(location);
        S3Client s3 = bucketAccess(location);
        for (String file : FILES) {
            s3.deleteObject(b -> b.bucket(bucket).key(path + "/" + file));
        }
    }

    /** syncBackupsFromLocation: copies of the bucket's backups this cluster does not have. */
    private void sync(KubernetesClient client, GenericKubernetesResource location) {
        String bucket = bucket(location);
        String ns = location.getMetadata().getNamespace();
        var resources = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(ns);
        try {
            S3Client s3 = bucketAccess(location);
            for (String backupFolder : folders(s3, bucket, ns + "/")) {
                for (String uidFolder : folders(s3, bucket, backupFolder)) {
                    JsonNode found;
                    try {
                        found = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(uidFolder + StorkBackups.METADATA)).asByteArray());
                    } catch (NoSuchKeyException e) {
                        continue;
                    }
                    String name = found.path("metadata").path("name").asText();
                    GenericKubernetesResource local = resources.withName(name).get();
                    if (local != null && local.getMetadata().getUid().equals(found.path("metadata").path("uid").asText())) {
                        continue;
                    }
                    boolean scheduled = found.path("metadata").path("annotations").has(StorkBackups.ANNOTATION_SCHEDULE_NAME);
                    String synced = StorkBackups.syncedName(name, Instant.parse(found.path("status").path("triggerTimestamp").asText()), scheduled);
                    if (resources.withName(synced).get() != null) {
                        continue;
                    }
                    GenericKubernetesResource copy = JSON.treeToValue(found, GenericKubernetesResource.class);
                    copy.getMetadata().setName(synced);
                    copy.getMetadata().setUid(null);
                    copy.getMetadata().setResourceVersion(null);
                    copy.getMetadata().setOwnerReferences(null);
                    copy.getMetadata().setCreationTimestamp(null);
                    editable(copy, "spec").put("reclaimPolicy", "Retain");
                    resources.resource(copy).create();
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            // Stork logs a failed sync and tries again on its next interval
            LOG.debug("sandbox agent on {}: sync of {} failed: {}", cluster.name(), location.getMetadata().getName(), e.getMessage());
        }
    }

    private static Set<String> folders(S3Client s3, String bucket, String prefix) {
        Set<String> folders = new LinkedHashSet<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))) {
            page.commonPrefixes().stream().map(CommonPrefix::prefix).forEach(folders::add);
        }
        return folders;
    }

    private void restore(KubernetesClient client, GenericKubernetesResource restore) {
        var restores = client.genericKubernetesResources(AgentContract.APPLICATION_RESTORE).inNamespace(restore.getMetadata().getNamespace());
        List<String> finalizers = restore.getMetadata().getFinalizers() == null ? List.of() : restore.getMetadata().getFinalizers();
        if (restore.getMetadata().getDeletionTimestamp() != null) {
            // the finalizer goes once Stork has cleaned up after the restore
            if (finalizers.contains(StorkBackups.FINALIZER_CLEANUP)) {
                restore.getMetadata().setFinalizers(finalizers.stream().filter(f -> !f.equals(StorkBackups.FINALIZER_CLEANUP)).toList());
                restores.resource(restore).update();
            }
            return;
        }
        if (!finalizers.contains(StorkBackups.FINALIZER_CLEANUP)) {
            List<String> more = new ArrayList<>(finalizers);
            more.add(StorkBackups.FINALIZER_CLEANUP);
            restore.getMetadata().setFinalizers(more);
            restores.resource(restore).update();
            return;
        }
        Map<String, Object> spec = map(restore.getAdditionalProperties().get("spec"));
        String stage = text(map(restore.getAdditionalProperties().get(AgentContract.STATUS)), "stage", "");
        if (stage.equals("Final")) {
            return;
        }
        GenericKubernetesResource backup = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                .inNamespace(restore.getMetadata().getNamespace()).withName(String.valueOf(spec.get("backupName"))).get();
        if (backup == null) {
            // "Error getting backup": logged, the request queued again; nothing on the object
            return;
        }
        Map<String, String> mapping = new java.util.LinkedHashMap<>();
        map(spec.get("namespaceMapping")).forEach((from, to) -> mapping.put(from, String.valueOf(to)));
        if (!namespaceRestoreAllowed(restore, mapping)) {
            // verifyNamespaces: a Warning Event, the status left empty, asked again on the next pass
            event(client, restore, "Spec.Namespaces should only contain the current namespace");
            return;
        }
        List<String> namespaces = new ArrayList<>(mapping.keySet());
        Map<String, Object> status = editable(restore, AgentContract.STATUS);
        switch (stage) {
            case "" -> {
                status.put("stage", "Volumes");
                status.put("status", "InProgress");
            }
            case "Volumes" -> status.put("stage", "Applications");
            default -> {
                String outcome = outcome(client, namespaces);
                if (outcome.equals("Successful")) {
                    putBack(client, backup, mapping, "Delete".equals(spec.get("replacePolicy")));
                }
                status.put("stage", "Final");
                status.put("status", outcome);
                status.put("finishTimestamp", Instant.now().toString());
                if (!outcome.equals("Successful")) {
                    status.put("reason", "sandbox: namespace " + namespaces.get(0) + " is labelled " + outcome);
                }
            }
        }
        restores.resource(restore).update();
    }

    /** The ConfigMaps of the namespaces: what the sandbox backs up of an application (Stork backs up every kind). */
    private static List<Map<String, Object>> configMaps(KubernetesClient client, List<String> namespaces) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (String ns : namespaces) {
            for (var configMap : client.configMaps().inNamespace(ns).list().getItems()) {
                Map<String, Object> object = new java.util.LinkedHashMap<>();
                object.put("apiVersion", "v1");
                object.put("kind", "ConfigMap");
                object.put("metadata", Map.of("name", configMap.getMetadata().getName(), "namespace", ns));
                object.put("data", configMap.getData() == null ? Map.of() : configMap.getData());
                found.add(object);
            }
        }
        return found;
    }

    /**
     * The backup's resources.json applied to the cluster, each namespace mapped: an object that exists is
     * replaced with replacePolicy Delete and kept with Retain, as Stork's restore does.
     */
    @SuppressWarnings("unchecked")
    private void putBack(KubernetesClient client, GenericKubernetesResource backup, Map<String, String> mapping, boolean replace) {
        GenericKubernetesResource location = storkLocation(client, backup);
        String path = AgentContract.status(backup, "backupPath");
        if (location == null || path == null) {
            return;
        }
        try {
            byte[] saved = bucketAccess(location).getObjectAsBytes(b -> b.bucket(bucket(location)).key(path + "/resources.json")).asByteArray();
            for (Map<String, Object> object : (List<Map<String, Object>>) JSON.readValue(saved, List.class)) {
                Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
                String ns = mapping.getOrDefault(String.valueOf(metadata.get("namespace")), String.valueOf(metadata.get("namespace")));
                if (client.namespaces().withName(ns).get() == null) {
                    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns)
                            .endMetadata().build()).create();
                }
                var configMap = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                        .withName(String.valueOf(metadata.get("name"))).withNamespace(ns).endMetadata()
                        .withData((Map<String, String>) object.get("data")).build();
                var existing = client.configMaps().inNamespace(ns).withName(configMap.getMetadata().getName());
                if (existing.get() == null) {
                    client.configMaps().inNamespace(ns).resource(configMap).create();
                } else if (replace) {
                    existing.delete();
                    client.configMaps().inNamespace(ns).resource(configMap).create();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("sandbox agent on {}: restoring from {} failed: {}", cluster.name(), path, e.getMessage());
        }
    }

    private void advance(KubernetesClient client, GenericKubernetesResource backup, Map<String, Object> status, String stage, String state) {
        status.put("stage", stage);
        status.put("status", state);
        client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(backup.getMetadata().getNamespace()).resource(backup).update();
    }

    private void finish(KubernetesClient client, GenericKubernetesResource backup, Map<String, Object> status, String state, String reason) {
        status.put("stage", "Final");
        status.put("status", state);
        status.put("reason", reason);
        client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(backup.getMetadata().getNamespace()).resource(backup).update();
    }

    /** The BackupLocation a backup names, in its own namespace (GetBackupLocation(spec.backupLocation, namespace)). */
    private static GenericKubernetesResource storkLocation(KubernetesClient client, GenericKubernetesResource backup) {
        Object name = map(backup.getAdditionalProperties().get("spec")).get("backupLocation");
        return name == null ? null : client.genericKubernetesResources(AgentContract.BACKUP_LOCATION)
                .inNamespace(backup.getMetadata().getNamespace()).withName(name.toString()).get();
    }

    private static String bucket(GenericKubernetesResource location) {
        return String.valueOf(map(location.getAdditionalProperties().get("location")).get("path"));
    }

    /**
     * How Stork reaches a location's bucket (objectstore/s3 getSession): with {@code s3Config.useIam}, the
     * cluster's identity; otherwise the keys of the location's Secret, which in the sandbox are the
     * store's own when the engine wrote them.
     */
    private S3Client bucketAccess(GenericKubernetesResource location) {
        Map<String, Object> item = map(location.getAdditionalProperties().get("location"));
        if (Boolean.TRUE.equals(map(item.get("s3Config")).get("useIam"))) {
            return bucketAccess();
        }
        return bucketAccess;
    }

    private S3Client bucketAccess() {
        if (!hasBucketAccess) {
            throw new IllegalStateException("AccessDenied: Access Denied (status code: 403)");
        }
        return bucketAccess;
    }

    private static void put(S3Client s3, String bucket, String key, byte[] body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
    }

    /**
     * What Stork's recorder.Event leaves about a problem: a Warning Event with the reason Failed and the
     * error's text. Once per object and message here.
     */
    private static void event(KubernetesClient client, GenericKubernetesResource object, String message) {
        String ns = object.getMetadata().getNamespace();
        String eventName = object.getMetadata().getName() + "." + Integer.toHexString(message.hashCode());
        if (client.v1().events().inNamespace(ns).withName(eventName).get() != null) {
            return;
        }
        String now = Instant.now().toString();
        client.v1().events().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName(eventName).withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withApiVersion(object.getApiVersion()).withKind(object.getKind())
                .withName(object.getMetadata().getName()).withNamespace(ns).withUid(object.getMetadata().getUid()).endInvolvedObject()
                .withType("Warning").withReason("Failed").withMessage(message).withCount(1)
                .withFirstTimestamp(now).withLastTimestamp(now)
                .build()).create();
    }

    private String outcome(KubernetesClient client, List<String> namespaces) {
        if (namespaces.isEmpty()) {
            return "Successful";
        }
        Namespace labelled = client.namespaces().withName(namespaces.get(0)).get();
        String outcome = labelled == null || labelled.getMetadata().getLabels() == null ? null
                : labelled.getMetadata().getLabels().get(OUTCOME_LABEL);
        return "PartialSuccess".equals(outcome) || "Failed".equals(outcome) ? outcome : "Successful";
    }

    /** The object's {@code field} as a map that edits the object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> editable(GenericKubernetesResource resource, String field) {
        Object value = resource.getAdditionalProperties().get(field);
        Map<String, Object> editable = value instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        resource.setAdditionalProperty(field, editable);
        return editable;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(Object::toString).toList() : List.of();
    }

    private static String text(Map<String, Object> map, String field, String otherwise) {
        Object value = map.get(field);
        return value == null ? otherwise : value.toString();
    }
}
