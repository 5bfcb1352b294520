package dev.backupstate.cluster;

import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
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
    private final String namespace;
    private final String reclaimPolicy;

    private final StorkLocations locations;

    private final boolean classic;
    /** How what the work saw before it could start is told to the rules (it is then tried again). */
    private final java.util.function.Consumer<dev.backupstate.model.Observation> report;

    /** {@code locations}: the Stork BackupLocations, written before the work that names them in Classic mode (Federated: at validation). */
    public ClusterWork(ClusterClients clients, String namespace, String reclaimPolicy, StorkLocations locations,
                       boolean classic, java.util.function.Consumer<dev.backupstate.model.Observation> report) {
        this.report = report;
        this.classic = classic;
        this.clients = clients;
        this.namespace = namespace;
        this.reclaimPolicy = reclaimPolicy;
        this.locations = locations;
    }

    /** Classic: the BackupLocation the work names exists on the cluster, as the command carries it. */
    private void locationOn(String cluster, BackupLocation location) {
        if (classic) {
            locations.ensure(cluster, location);
        }
    }

    public String namespace() {
        return namespace;
    }

    /** RUN_BACKUP: the ApplicationBackup, named after the backup (created again after a restart: it exists already). */
    public void runBackup(Command.RunBackup command) {
        Backup backup = command.backup();
        locationOn(backup.cluster(), command.location());
        create(backup.cluster(), StorkObjects.applicationBackup(backup, namespace, reclaimPolicy),
                cause -> new dev.backupstate.model.Observation.BackupNameTaken(backup.name(), backup.cluster(), cause));
    }

    /** RUN_RESTORE: the ApplicationRestore, naming the backup as the restore's cluster knows it. */
    public void runRestore(Command.RunRestore command) {
        Restore restore = command.restore();
        locationOn(restore.cluster(), command.location());
        String backupName = nameOn(restore, command.backup(), command.location());
        create(restore.cluster(), StorkObjects.applicationRestore(restore, Optional.of(command.backup()), namespace, backupName),
                cause -> new dev.backupstate.model.Observation.RestoreNameTaken(restore.name(), restore.cluster(), cause));
    }

    /**
     * The backup's ApplicationBackup on the cluster, as Stork there knows it: the engine's own where it
     * was taken, the copy Stork's sync made (named NAME-TIME) elsewhere. Without one, Stork there is asked
     * to sync the location, and the restore waits (the command is tried again until the copy is there).
     */
    private String nameOn(Restore restore, Backup backup, BackupLocation location) {
        String cluster = restore.cluster();
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        Optional<GenericKubernetesResource> copy = StorkBackups.on(client, namespace, backup.name());
        if (copy.isPresent()) {
            // a sync this restore asked for is over: the flag is set back (written only if it is on)
            locations.sync(cluster, location, false);
            return copy.get().getMetadata().getName();
        }
        locations.sync(cluster, location, true);
        String why = "backup " + backup.name() + " is not on cluster " + cluster + " yet; Stork there is syncing location "
                + location.name();
        report.accept(new dev.backupstate.model.Observation.RestoreWaiting(restore.name(), why));
        throw new dev.backupstate.effects.EffectPending(why);
    }

    /**
     * A location released: its Stork BackupLocation (and Classic keys) removed from every cluster the
     * command names (those the catalog had when the removal was decided). A cluster that cannot be
     * reached now keeps its copy, named in the log: Stork there only loses a location nothing names any more.
     */
    public void removeLocation(String location, java.util.List<String> clusters) {
        for (String cluster : clusters) {
            try {
                locations.remove(cluster, location);
            } catch (RuntimeException e) {
                LOG.warn("location {} could not be removed from cluster {} now: {}", location, cluster, e.getMessage());
            }
        }
    }

    /**
     * Creates the object; one that exists already is ours only if it carries the same uid annotation
     * (created before a crash, carried out again). Another's is reported with {@code taken}: nothing is
     * created, and its status is never read as ours.
     */
    private void create(String cluster, GenericKubernetesResource resource,
                        java.util.function.Function<String, dev.backupstate.model.Observation> taken) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        var resources = client.genericKubernetesResources(context(resource)).inNamespace(namespace);
        try {
            resources.resource(resource).create();
            LOG.info("{} {} created on cluster {}", resource.getKind(), resource.getMetadata().getName(), cluster);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            GenericKubernetesResource existing = resources.withName(resource.getMetadata().getName()).get();
            String ours = resource.getMetadata().getAnnotations().get(AgentContract.ANNOTATION_UID);
            String theirs = existing == null || existing.getMetadata().getAnnotations() == null ? null
                    : existing.getMetadata().getAnnotations().get(AgentContract.ANNOTATION_UID);
            if (existing != null && ours != null && !ours.equals(theirs)) {
                String cause = resource.getKind() + " " + namespace + "/" + resource.getMetadata().getName() + " on cluster " + cluster
                        + " exists and is not this one's (" + (theirs == null ? "not written by the engine" : "written for an earlier one of that name")
                        + "): choose another name, or remove that object";
                LOG.warn(cause);
                report.accept(taken.apply(cause));
                return;
            }
            LOG.info("{} {} exists on cluster {} already", resource.getKind(), resource.getMetadata().getName(), cluster);
        }
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context(GenericKubernetesResource resource) {
        return AgentContract.ALL.stream().filter(c -> c.getKind().equals(resource.getKind())).findFirst().orElseThrow();
    }
}
