package dev.backupstate.cluster;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic: a backup's deletion is done only when Stork holds nothing of it on any cluster. The
 * engine's ApplicationBackups are {@code reclaimPolicy: Retain}, so deleting the catalog's backup and
 * its folder alone would leave Stork's object (Successful, pointing at data that is gone) and any copy
 * its sync made. Here the original gets {@code reclaimPolicy: Delete} before it is deleted, so that
 * Stork's finalizer has its drivers delete what lies outside the bucket folder (volume snapshots), and
 * every copy is deleted as it is (Retain: Stork only lets it go). Stork's cleanup removes its finalizer
 * and lets the object go even when a delete failed (applicationbackup.go, deleteBackup at
 * {@link AgentContract#STORK_SOURCE}), which is why the engine then lists the folder itself.
 */
public final class StorkCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(StorkCleanup.class);

    private final ClusterClients clients;
    private final Catalog catalog;
    private final String namespace;
    private final boolean federated;

    /**
     * {@code federated}: only clusters linked to the backup's location (a connection) can hold an
     * ApplicationBackup of it, as only they have its BackupLocation; Classic: every cluster (the engine
     * writes the BackupLocation wherever work names it).
     */
    public StorkCleanup(ClusterClients clients, Catalog catalog, String namespace, boolean federated) {
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.federated = federated;
    }

    /**
     * Asks Stork on every cluster of the catalog that can hold one to let go of the backup's ApplicationBackups; empty
     * when none is left, else what the deletion waits for (an object Stork's finalizer still holds, a
     * cluster that cannot be read now).
     */
    public Optional<String> release(Backup backup) {
        List<String> waiting = new ArrayList<>();
        for (var resource : catalog.all(ResourceKind.CLUSTER)) {
            String cluster = ((Cluster) resource).name();
            if (federated && catalog.find(dev.backupstate.model.ResourceRef.of(ResourceKind.CONNECTION,
                    dev.backupstate.model.Connection.nameOf(backup.location(), cluster))).isEmpty()) {
                continue;
            }
            try {
                Optional<KubernetesClient> client = clients.client(cluster);
                if (client.isEmpty()) {
                    continue;
                }
                for (GenericKubernetesResource found : StorkBackups.allOf(client.get(), namespace, backup.name(), backup.location())) {
                    String name = found.getMetadata().getName();
                    if (found.getMetadata().getDeletionTimestamp() == null) {
                        delete(client.get(), found, cluster.equals(backup.cluster()) && name.equals(backup.name()));
                    }
                    waiting.add("ApplicationBackup " + namespace + "/" + name + " on cluster " + cluster);
                }
            } catch (RuntimeException e) {
                waiting.add("cluster " + cluster + " cannot be read: " + ClusterProbe.failed(cluster, e).cause());
            }
        }
        return waiting.isEmpty() ? Optional.empty()
                : Optional.of("waiting for Stork to let go of " + String.join(", ", waiting));
    }

    private void delete(KubernetesClient client, GenericKubernetesResource found, boolean original) {
        var resources = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace);
        if (original && !"Delete".equals(FederatedWork.spec(found).get("reclaimPolicy"))) {
            FederatedWork.spec(found).put("reclaimPolicy", "Delete");
            found = resources.resource(found).update();
        }
        resources.withName(found.getMetadata().getName()).delete();
        LOG.info("ApplicationBackup {} deleted{}", found.getMetadata().getName(), original ? " with reclaimPolicy Delete" : "");
    }
}
