package dev.backupstate.cluster;

import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Command;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the commands that run on a cluster: an accepted backup becomes an ApplicationBackup, a
 * restore an ApplicationRestore, named after the engine's object so that carrying a command out again
 * (after a crash between the effect and its mark) finds the first one instead of starting a second.
 * A command whose subject has moved on (a backup that already failed, say) is done: nothing to create.
 */
public final class ClusterWork {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWork.class);

    private final ClusterClients clients;
    private final InMemoryCatalog catalog;
    private final String namespace;
    private final String reclaimPolicy;

    public ClusterWork(ClusterClients clients, InMemoryCatalog catalog, String namespace, String reclaimPolicy) {
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.reclaimPolicy = reclaimPolicy;
    }

    public String namespace() {
        return namespace;
    }

    public void runBackup(Command command) {
        Optional<Backup> found = catalog.find(command.target()).map(Backup.class::cast);
        if (found.isEmpty() || found.get().state() != BackupState.PENDING) {
            LOG.info("{}: backup is no longer waiting to start; nothing to create", command.target());
            return;
        }
        Backup backup = found.get();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backupLocation", backup.location());
        spec.put(AgentContract.SPEC_CLUSTER, backup.cluster());
        spec.put("namespaces", backup.namespaces());
        spec.put("reclaimPolicy", reclaimPolicy);
        if (backup.labelSelector() != null) {
            // Stork's selectors: the labels a resource must carry to be backed up
            Map<String, String> selectors = new LinkedHashMap<>();
            for (String pair : backup.labelSelector().split(",")) {
                selectors.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            spec.put("selectors", selectors);
        }
        putIfSet(spec, "preExecRule", backup.preExecRule());
        putIfSet(spec, "postExecRule", backup.postExecRule());
        if (backup.virtualMachine() != null) {
            spec.put("includeResources", java.util.List.of(Map.of("kind", "VirtualMachine", "name", backup.virtualMachine())));
        }
        putIfSet(spec, "backupType", backup.incrementalOf() == null ? null : "Incremental");
        putIfSet(spec, AgentContract.SPEC_INCREMENTAL_OF, backup.incrementalOf());
        create(backup.cluster(), AgentContract.resource(AgentContract.APPLICATION_BACKUP, namespace, backup.name(), spec));
    }

    public void runRestore(Command command) {
        Optional<Restore> found = catalog.find(command.target()).map(Restore.class::cast);
        if (found.isEmpty() || found.get().state() != RestoreState.PENDING) {
            LOG.info("{}: restore is no longer waiting to start; nothing to create", command.target());
            return;
        }
        Restore restore = found.get();
        Optional<Backup> backup = catalog.find(ResourceRef.of(ResourceKind.BACKUP, restore.backup())).map(Backup.class::cast);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backupName", restore.backup());
        backup.ifPresent(b -> {
            spec.put("backupLocation", b.location());
            spec.put("namespaceMapping", identity(b));
        });
        // Stork's replacePolicy: Retain keeps what exists on the cluster, Delete replaces it
        spec.put("replacePolicy", restore.replacePolicy().name().charAt(0) + restore.replacePolicy().name().substring(1).toLowerCase());
        create(restore.cluster(), AgentContract.resource(AgentContract.APPLICATION_RESTORE, namespace, restore.name(), spec));
    }

    private void create(String cluster, GenericKubernetesResource resource) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        try {
            client.genericKubernetesResources(context(resource)).inNamespace(namespace).resource(resource).create();
            LOG.info("{} {} created on cluster {}", resource.getKind(), resource.getMetadata().getName(), cluster);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.info("{} {} exists on cluster {} already", resource.getKind(), resource.getMetadata().getName(), cluster);
        }
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context(GenericKubernetesResource resource) {
        return AgentContract.ALL.stream().filter(c -> c.getKind().equals(resource.getKind())).findFirst().orElseThrow();
    }

    private static Map<String, String> identity(Backup backup) {
        Map<String, String> mapping = new LinkedHashMap<>();
        backup.namespaces().forEach(ns -> mapping.put(ns, ns));
        return mapping;
    }

    private static void putIfSet(Map<String, Object> spec, String field, Object value) {
        if (value != null) {
            spec.put(field, value);
        }
    }
}
