package dev.backupstate.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backupstate.cluster.AgentContract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A simulated Stork on one sandbox cluster: it carries out what the engine writes there, the way the
 * agent contract of DESIGN.md says. An ApplicationBackup runs (InProgress, then done) and leaves the
 * bucket layout ({@code <prefix>/backups/<cluster>/<backup>/backup.json} and the data beside it); an
 * ApplicationRestore runs; a BackupLocation, when flagged, gets a sync report (validation is the
 * engine's check Job, which {@link SandboxKubelet} runs); a backup
 * marked for data deletion has its folder deleted, then its resource.
 *
 * <p>The outcome of a backup or restore follows the label {@value #OUTCOME_LABEL} on the first namespace
 * it covers: {@code PartialSuccess} or {@code Failed}; without it, {@code Successful}.
 */
public final class SandboxAgent {

    public static final String OUTCOME_LABEL = "sandbox.backupstate.dev/outcome";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxCluster cluster;
    private final String namespace;
    private final S3Client bucketAccess;
    private final String bucket;
    private final String prefix;
    private final boolean hasBucketAccess;

    /**
     * @param hasBucketAccess whether this cluster's workload identity may use the bucket: an agent without
     *                        access says Invalid to every location, as a real one would after a 403
     */
    public SandboxAgent(SandboxCluster cluster, String namespace, S3Client bucketAccess, String bucket, String prefix,
                        boolean hasBucketAccess) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.bucketAccess = bucketAccess;
        this.bucket = bucket;
        this.prefix = prefix;
        this.hasBucketAccess = hasBucketAccess;
    }

    /** One pass over everything the engine asked of this cluster. */
    public void work() {
        if (!cluster.isUp()) {
            return;
        }
        try {
            KubernetesClient client = cluster.client();
            // Stork watches ApplicationBackups in every namespace
            for (GenericKubernetesResource backup : client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                    .inAnyNamespace().list().getItems()) {
                if (!namespaceBackupAllowed(backup)) {
                    refuse(client, backup, "Spec.Namespaces should only contain the current namespace");
                } else if (backup.getMetadata().getNamespace().equals(namespace)) {
                    // the engine writes to the admin namespace; backups of a namespace by itself are not simulated
                    backUp(client, backup);
                }
            }
            for (GenericKubernetesResource restore : list(client, AgentContract.APPLICATION_RESTORE)) {
                restore(client, restore);
            }
            for (GenericKubernetesResource location : list(client, AgentContract.BACKUP_LOCATION)) {
                answer(client, location);
            }
        } catch (RuntimeException e) {
            LOG.debug("sandbox agent on {}: {}", cluster.name(), e.getMessage());
        }
    }

    private List<GenericKubernetesResource> list(KubernetesClient client, ResourceDefinitionContext kind) {
        return client.genericKubernetesResources(kind).inNamespace(namespace).list().getItems();
    }

    /**
     * Stork's rule (applicationbackup.go, namespaceBackupAllowed): an ApplicationBackup outside the admin
     * namespace (and kube-system, Stork's default admin namespace) may back up only its own namespace.
     */
    private boolean namespaceBackupAllowed(GenericKubernetesResource backup) {
        String own = backup.getMetadata().getNamespace();
        if (own.equals(namespace) || own.equals("kube-system") || "Final".equals(AgentContract.status(backup, AgentContract.STATUS_STAGE))) {
            return true;
        }
        return strings(map(backup.getAdditionalProperties().get("spec")).get("namespaces")).stream().allMatch(own::equals);
    }

    /**
     * What Stork does with a backup it refuses before starting: a Warning Event with the reason Failed and
     * the error's text (recorder.Event), and no status at all. Once per backup here.
     */
    private void refuse(KubernetesClient client, GenericKubernetesResource backup, String message) {
        String ns = backup.getMetadata().getNamespace();
        String eventName = backup.getMetadata().getName() + ".refused";
        if (client.v1().events().inNamespace(ns).withName(eventName).get() != null) {
            return;
        }
        client.v1().events().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName(eventName).withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withApiVersion(backup.getApiVersion()).withKind(backup.getKind())
                .withName(backup.getMetadata().getName()).withNamespace(ns).withUid(backup.getMetadata().getUid()).endInvolvedObject()
                .withType("Warning").withReason("Failed").withMessage(message).withCount(1)
                .withFirstTimestamp(java.time.Instant.now().toString()).withLastTimestamp(java.time.Instant.now().toString())
                .build()).create();
    }

    private void backUp(KubernetesClient client, GenericKubernetesResource backup) {
        String name = backup.getMetadata().getName();
        Map<String, Object> spec = map(backup.getAdditionalProperties().get("spec"));
        Map<String, String> annotations = backup.getMetadata().getAnnotations() == null ? Map.of() : backup.getMetadata().getAnnotations();
        String folder = prefix + "/backups/" + annotations.getOrDefault(AgentContract.ANNOTATION_SOURCE_CLUSTER, cluster.name()) + "/" + name + "/";
        if (backup.getMetadata().getAnnotations() != null
                && backup.getMetadata().getAnnotations().containsKey(AgentContract.ANNOTATION_DELETE_DATA)) {
            deleteFolder(folder);
            client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace).withName(name).delete();
            return;
        }
        String status = AgentContract.status(backup, AgentContract.STATUS_STATUS);
        String invalid = status == null ? invalidParameters(spec) : null;
        if (invalid != null) {
            setStatus(client, AgentContract.APPLICATION_BACKUP, name, Map.of("status", "Failed", "stage", "Final", "reason", invalid));
        } else if (status == null) {
            setStatus(client, AgentContract.APPLICATION_BACKUP, name, Map.of("status", "InProgress", "stage", "Volumes"));
        } else if (status.equals("InProgress")) {
            List<String> namespaces = strings(spec.get("namespaces"));
            String outcome = outcome(client, namespaces);
            if (!outcome.equals("Failed")) {
                write(folder, name, namespaces, outcome, annotations.get(AgentContract.ANNOTATION_INCREMENTAL_OF));
            }
            setStatus(client, AgentContract.APPLICATION_BACKUP, name, outcome.equals("Successful")
                    ? Map.of("status", outcome, "stage", "Final")
                    : Map.of("status", outcome, "stage", "Final", "reason", "sandbox: namespace " + namespaces.get(0) + " is labelled " + outcome));
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

    private void restore(KubernetesClient client, GenericKubernetesResource restore) {
        String name = restore.getMetadata().getName();
        String status = AgentContract.status(restore, AgentContract.STATUS_STATUS);
        if (status == null) {
            setStatus(client, AgentContract.APPLICATION_RESTORE, name, Map.of("status", "InProgress"));
        } else if (status.equals("InProgress")) {
            Map<String, Object> spec = map(restore.getAdditionalProperties().get("spec"));
            List<String> namespaces = new ArrayList<>(map(spec.get("namespaceMapping")).keySet());
            String outcome = outcome(client, namespaces);
            setStatus(client, AgentContract.APPLICATION_RESTORE, name, outcome.equals("Successful") ? Map.of("status", outcome)
                    : Map.of("status", outcome, "reason", "sandbox: namespace " + namespaces.get(0) + " is labelled " + outcome));
        }
    }

    private void answer(KubernetesClient client, GenericKubernetesResource location) {
        String name = location.getMetadata().getName();
        Map<String, Object> item = map(location.getAdditionalProperties().get("location"));
        Map<String, Object> status = new LinkedHashMap<>(map(location.getAdditionalProperties().get(AgentContract.STATUS)));
        boolean changed = false;
        // validation is no agent's: the engine's check Job runs on the cluster (SandboxKubelet here)
        String sync = location.getMetadata().getAnnotations() == null ? null
                : location.getMetadata().getAnnotations().get(AgentContract.ANNOTATION_SYNC_REQUEST);
        if (Boolean.TRUE.equals(item.get("sync")) && sync != null
                && !sync.equals(text(map(status.get(AgentContract.STATUS_SYNC)), "request", null))) {
            status.put(AgentContract.STATUS_SYNC, sync(sync));
            changed = true;
        }
        if (changed) {
            setStatus(client, AgentContract.BACKUP_LOCATION, name, status);
        }
    }

    private Map<String, Object> sync(String request) {
        if (!hasBucketAccess) {
            return Map.of("request", request, "state", "Failed", "cause", "access denied to bucket " + bucket);
        }
        List<Map<String, Object>> found = new ArrayList<>();
        for (ListObjectsV2Response page : bucketAccess.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/backups/"))) {
            for (S3Object object : page.contents()) {
                if (object.key().endsWith("/backup.json")) {
                    found.add(readBackupJson(object.key()));
                }
            }
        }
        return Map.of("request", request, "state", "Completed", "backups", found);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readBackupJson(String key) {
        try {
            Map<String, Object> file = JSON.readValue(bucketAccess.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), Map.class);
            Map<String, Object> reported = new LinkedHashMap<>();
            for (String field : List.of("name", "cluster", "created", "status", "namespaces")) {
                if (file.get(field) != null) {
                    reported.put(field, file.get(field));
                }
            }
            if (file.get("incremental-of") != null) {
                reported.put("incrementalOf", file.get("incremental-of"));
            }
            return reported;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable " + key, e);
        }
    }

    private void write(String folder, String name, List<String> namespaces, String outcome, String incrementalOf) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("cluster", folder.split("/")[folder.split("/").length - 2]);
        metadata.put("namespaces", namespaces);
        metadata.put("status", outcome);
        metadata.put("created", Instant.now().toString());
        if (incrementalOf != null) {
            metadata.put("incremental-of", incrementalOf);
        }
        try {
            bucketAccess.putObject(b -> b.bucket(bucket).key(folder + "backup.json"), RequestBody.fromBytes(JSON.writeValueAsBytes(metadata)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (String ns : namespaces) {
            bucketAccess.putObject(b -> b.bucket(bucket).key(folder + "resources/" + ns + ".json"),
                    RequestBody.fromString("{\"namespace\":\"" + ns + "\",\"resources\":[]}"));
        }
        bucketAccess.putObject(b -> b.bucket(bucket).key(folder + "volumes/data.bin"), RequestBody.fromBytes(new byte[4096]));
    }

    private void deleteFolder(String folder) {
        for (ListObjectsV2Response page : bucketAccess.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder))) {
            for (S3Object object : page.contents()) {
                bucketAccess.deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
        }
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

    private void setStatus(KubernetesClient client, ResourceDefinitionContext kind, String name, Map<String, Object> status) {
        client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).edit(found -> {
            found.setAdditionalProperty(AgentContract.STATUS, status);
            return found;
        });
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
