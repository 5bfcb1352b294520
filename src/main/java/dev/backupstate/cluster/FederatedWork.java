package dev.backupstate.cluster;

import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.Command;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.BackupDeletionAsked;
import dev.backupstate.model.Observation.BackupDeletionWaiting;
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
 * Federated mode: the engine never reaches a bucket; it instructs a cluster's Stork through a
 * BackupLocation (no credentials: Stork uses the cluster's workload identity), a check Job of ours
 * for validation, and ApplicationBackups, and {@link AgentReports} reads back what happened there.
 */
public final class FederatedWork {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedWork.class);

    private final ClusterClients clients;
    private final String namespace;
    private final AgentReports reports;
    private final LocationChecks checks;
    private final StorkLocations locations;

    public FederatedWork(ClusterClients clients, String namespace, AgentReports reports, LocationChecks checks,
                         StorkLocations locations) {
        this.clients = clients;
        this.namespace = namespace;
        this.reports = reports;
        this.checks = checks;
        this.locations = locations;
    }

    /**
     * VALIDATE_CONNECTION: the location written to the cluster, and a check Job started there under the
     * cluster's own identity ({@link LocationChecks}); its verdict is awaited.
     */
    public void validateConnection(Command.ValidateConnection command, String requestId) {
        String cluster = command.connection().cluster();
        BackupLocation known = command.location();
        locations.ensure(cluster, known);
        String job = LocationChecks.jobName(known.name(), cluster, requestId);
        checks.start(client(cluster), known, job, requestId);
        LOG.info("location {} is being checked on cluster {} by Job {}", known.name(), cluster, job);
        reports.awaitVerdict(known.name(), cluster, job);
    }

    /**
     * SYNC_ON_CLUSTER: {@code location.sync: true} on the chosen cluster; Stork there then creates an
     * ApplicationBackup for every backup of the bucket it lacks (backupsync.go). {@link AgentReports}
     * writes the sync's marker there and follows Stork's passes by it ({@link SyncMarker}).
     */
    public Observation syncOnCluster(Command.SyncOnCluster command, String requestId) {
        String cluster = command.cluster();
        BackupLocation known = command.location();
        locations.sync(cluster, known, true);
        reports.awaitSync(known.name(), cluster, SyncMarker.name(known.name(), cluster, requestId));
        return new SyncStarted(known.name(), cluster);
    }

    /**
     * DELETE_BACKUP_ON_CLUSTER, as Stork deletes data: its ApplicationBackup on the chosen cluster (the
     * one the engine wrote, or the copy Stork's sync made of a backup taken elsewhere) gets
     * {@code reclaimPolicy: Delete} and is deleted; Stork's finalizer deletes the data, then lets the
     * object go ({@link AgentReports} watches for that). A cluster that has no copy yet is asked to sync
     * the location, and the command is tried again until the copy is there.
     */
    public Observation deleteOnCluster(Command.DeleteBackupOnCluster command, String requestId,
                                       java.util.function.Consumer<Observation> report) {
        String cluster = command.cluster();
        String backup = command.backup();
        BackupLocation known = command.location();
        KubernetesClient client = client(cluster);
        Optional<GenericKubernetesResource> copy = StorkBackups.on(client, namespace, backup);
        if (copy.isEmpty()) {
            locations.sync(cluster, known, true);
            String cause = "waiting for Stork on cluster " + cluster + " to sync backup " + backup + " from location " + known.name();
            report.accept(new BackupDeletionWaiting(backup, cause));
            throw new dev.backupstate.effects.EffectPending(cause);
        }
        // a sync this deletion asked for is over: the flag is set back (written only if it is on)
        locations.sync(cluster, known, false);
        GenericKubernetesResource found = copy.get();
        var resources = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace);
        if (!"Delete".equals(spec(found).get("reclaimPolicy"))) {
            // Stork keeps a Successful backup's data when its object goes with reclaimPolicy Retain (deleteBackup)
            spec(found).put("reclaimPolicy", "Delete");
            found = resources.resource(found).update();
        }
        resources.withName(found.getMetadata().getName()).delete();
        reports.awaitDeletion(backup, cluster);
        LOG.info("backup {} deleted on cluster {} as ApplicationBackup {} with reclaimPolicy Delete", backup, cluster,
                found.getMetadata().getName());
        return new BackupDeletionAsked(backup, cluster);
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
