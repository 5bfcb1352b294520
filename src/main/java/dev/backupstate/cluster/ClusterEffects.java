package dev.backupstate.cluster;

import dev.backupstate.model.Command;

import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.ClusterProbed;
import dev.backupstate.model.Observation.ResourceReleased;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.store.PendingCommand;

/**
 * The cluster side of the outbox, as the effect routes call it: each method carries out one command
 * and returns what it observed (the routes hand that back to the rules) or nothing.
 */
public final class ClusterEffects {

    private final ClusterProbes probes;
    private final ClusterWork work;
    private final FederatedWork federated;
    private final Discovery discovery;
    private final ClusterClients clients;
    private final StorkCleanup cleanup;

    /** {@code report}: how what an effect saw before it could finish is told to the rules (it is then tried again). */
    private final java.util.function.Consumer<Observation> report;

    public ClusterEffects(ClusterProbes probes, ClusterWork work, FederatedWork federated, Discovery discovery,
                          ClusterClients clients, StorkCleanup cleanup, java.util.function.Consumer<Observation> report) {
        this.report = report;
        this.cleanup = cleanup;
        this.probes = probes;
        this.discovery = discovery;
        this.work = work;
        this.federated = federated;
        this.clients = clients;
    }

    /** The id an instruction carries to its agent and back: one per command, stable when it is carried out again. */
    private static String instruction(PendingCommand pending) {
        return "command-" + pending.id();
    }

    public void validateConnection(PendingCommand pending) {
        federated.validateConnection((Command.ValidateConnection) pending.command(), instruction(pending));
    }

    public Observation syncOnCluster(PendingCommand pending) {
        return federated.syncOnCluster((Command.SyncOnCluster) pending.command(), instruction(pending));
    }

    public Observation discoverShoots(PendingCommand pending) {
        return discovery.discover((Command.DiscoverShoots) pending.command());
    }

    public Observation refreshKubeconfig(PendingCommand pending) {
        return discovery.refresh((Command.RefreshKubeconfig) pending.command());
    }

    public Observation deleteOnCluster(PendingCommand pending) {
        return federated.deleteOnCluster((Command.DeleteBackupOnCluster) pending.command(), instruction(pending), report);
    }

    /**
     * DELETE_BUCKET_DATA, its cluster side first: Stork lets go of every ApplicationBackup of the backup.
     * Until none is left the deletion waits, says why, and is tried again; the bucket side comes after.
     */
    public void releaseStorkBackups(PendingCommand pending) {
        var backup = ((Command.DeleteBucketData) pending.command()).backup();
        var waiting = cleanup.release(backup);
        if (waiting.isPresent()) {
            report.accept(new dev.backupstate.model.Observation.BackupDeletionWaiting(backup.name(), waiting.get()));
            throw new dev.backupstate.effects.EffectPending(waiting.get());
        }
    }

    /** PROBE_CLUSTER: keeps the kubeconfig the command carries (an added cluster), then probes. */
    public ClusterProbed probe(PendingCommand pending) {
        Command.ProbeCluster probe = (Command.ProbeCluster) pending.command();
        String cluster = probe.cluster();
        String kubeconfig = probe.kubeconfig();
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            clients.kubeconfigs().save(cluster, kubeconfig);
        }
        return probes.probe(cluster);
    }

    public void runBackup(PendingCommand pending) {
        work.runBackup((Command.RunBackup) pending.command());
    }

    public void runRestore(PendingCommand pending) {
        work.runRestore((Command.RunRestore) pending.command());
    }

    /** RELEASE_RESOURCE: a removed cluster's client and kubeconfig go; the rules then drop it. */
    public Observation release(PendingCommand pending) {
        Command.ReleaseResource release = (Command.ReleaseResource) pending.command();
        var target = release.released();
        if (target.kind() == ResourceKind.CLUSTER) {
            clients.forget(target.name());
            clients.kubeconfigs().remove(target.name());
        } else if (target.kind() == ResourceKind.BACKUP_LOCATION) {
            work.removeLocation(target.name(), release.clusters());
        } else if (target.kind() == ResourceKind.DISCOVERY_CONFIG) {
            clients.forget(Discovery.credentialKey(target.name()));
            clients.kubeconfigs().remove(Discovery.credentialKey(target.name()));
        }
        return new ResourceReleased(target.kind(), target.name());
    }
}
