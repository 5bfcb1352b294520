package dev.backupstate.cluster;

import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.Command;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.SyncStarted;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federated mode: the engine never reaches a bucket; it instructs a cluster's agent through a
 * BackupLocation resource (no credentials: the agent uses its workload identity) and through
 * ApplicationBackups, and {@link AgentReports} reads back what the agent answered. Each instruction
 * carries a request id that the agent echoes in its answer, so an old verdict is never taken for a new one.
 */
public final class FederatedWork {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedWork.class);

    private final ClusterClients clients;
    private final InMemoryCatalog catalog;
    private final String namespace;
    private final AgentReports reports;

    private final LocationChecks checks;

    public FederatedWork(ClusterClients clients, InMemoryCatalog catalog, String namespace, AgentReports reports, LocationChecks checks) {
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.reports = reports;
        this.checks = checks;
    }

    /**
     * VALIDATE_CONNECTION: the location written to the cluster, and a check Job started there under the
     * cluster's own identity ({@link LocationChecks}); its verdict is awaited.
     */
    public void validateConnection(Command command, String requestId) {
        String cluster = command.args().get("cluster");
        String location = command.args().get("location");
        upsertLocation(cluster, location, false, null);
        BackupLocation known = catalog.find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, location)).map(BackupLocation.class::cast)
                .orElseThrow(() -> new IllegalStateException("location " + location + " is not in the catalog"));
        String job = LocationChecks.jobName(location, cluster, requestId);
        checks.start(client(cluster), known, job, requestId);
        LOG.info("location {} is being checked on cluster {} by Job {}", location, cluster, job);
        reports.awaitVerdict(location, cluster, job);
    }

    /** SYNC_ON_CLUSTER: the sync flag set on the location on the chosen cluster; the agent reports what it found. */
    public Observation syncOnCluster(Command command, String requestId) {
        String cluster = command.args().get("cluster");
        String location = command.args().get("location");
        upsertLocation(cluster, location, true, requestId);
        reports.awaitSync(location, cluster, requestId);
        return new SyncStarted(location, cluster);
    }

    /**
     * DELETE_BACKUP_ON_CLUSTER: the backup's ApplicationBackup on the chosen cluster (created there if
     * that cluster did not take the backup) is marked for deletion with reclaimPolicy Delete; the agent
     * deletes the data, then the resource, and its disappearance is the news that the data is gone.
     */
    public void deleteOnCluster(Command command, String requestId) {
        String cluster = command.args().get("cluster");
        String backupName = command.target().name();
        Optional<Backup> backup = catalog.find(command.target()).map(Backup.class::cast);
        KubernetesClient client = client(cluster);
        var resources = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace);
        GenericKubernetesResource existing = resources.withName(backupName).get();
        GenericKubernetesResource marked = existing != null ? existing
                : AgentContract.resource(AgentContract.APPLICATION_BACKUP, namespace, backupName, new LinkedHashMap<>(Map.of(
                        "backupLocation", command.args().get("location"),
                        "namespaces", backup.map(Backup::namespaces).orElse(java.util.List.of()))));
        if (existing == null) {
            // made on another cluster: Stork has no field for that; issue 11 replaces this with Stork's own sync
            marked.getMetadata().getAnnotations().put(AgentContract.ANNOTATION_SOURCE_CLUSTER, backup.map(Backup::cluster).orElse(cluster));
        }
        spec(marked).put("reclaimPolicy", "Delete");
        marked.getMetadata().getAnnotations().put(AgentContract.ANNOTATION_DELETE_DATA, requestId);
        if (existing == null) {
            resources.resource(marked).create();
        } else {
            resources.resource(marked).update();
        }
        LOG.info("backup {} marked for deletion on cluster {}", backupName, cluster);
        reports.awaitDeletion(backupName, cluster);
    }

    /**
     * The location as a Stork BackupLocation on the cluster, without keys ({@link StorkLocations#federatedLocation}),
     * {@code sync} as asked; the sync request the engine awaits an answer to is our annotation on it.
     */
    private void upsertLocation(String cluster, String location, boolean sync, String syncRequest) {
        BackupLocation known = catalog.find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, location)).map(BackupLocation.class::cast)
                .orElseThrow(() -> new IllegalStateException("location " + location + " is not in the catalog"));
        var resources = client(cluster).genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(namespace);
        GenericKubernetesResource existing = resources.withName(location).get();
        GenericKubernetesResource wanted = StorkLocations.federatedLocation(known, namespace, sync);
        if (syncRequest != null) {
            wanted.getMetadata().getAnnotations().put(AgentContract.ANNOTATION_SYNC_REQUEST, syncRequest);
        } else if (existing != null) {
            // a validation leaves a sync under way alone: its flag, its request and what the agent reported
            Object item = existing.getAdditionalProperties().get("location");
            if (item instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("sync"))) {
                wanted = StorkLocations.federatedLocation(known, namespace, true);
            }
            if (existing.getMetadata().getAnnotations() != null
                    && existing.getMetadata().getAnnotations().containsKey(AgentContract.ANNOTATION_SYNC_REQUEST)) {
                wanted.getMetadata().getAnnotations().put(AgentContract.ANNOTATION_SYNC_REQUEST,
                        existing.getMetadata().getAnnotations().get(AgentContract.ANNOTATION_SYNC_REQUEST));
            }
            if (existing.getAdditionalProperties().get(AgentContract.STATUS) != null) {
                wanted.setAdditionalProperty(AgentContract.STATUS, existing.getAdditionalProperties().get(AgentContract.STATUS));
            }
        }
        if (existing == null) {
            resources.resource(wanted).create();
        } else {
            wanted.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            resources.resource(wanted).update();
        }
    }

    private KubernetesClient client(String cluster) {
        return clients.client(cluster).orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        Map<String, Object> editable = spec instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
        resource.setAdditionalProperty("spec", editable);
        if (resource.getMetadata().getAnnotations() == null) {
            resource.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        return editable;
    }
}
