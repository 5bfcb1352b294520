package dev.backupstate.app;

import dev.backupstate.cluster.AgentReports;
import dev.backupstate.cluster.ClusterClients;
import dev.backupstate.cluster.Discovery;
import dev.backupstate.cluster.FederatedWork;
import dev.backupstate.cluster.HomeSecrets;
import dev.backupstate.cluster.ClusterEffects;
import dev.backupstate.cluster.ClusterProbe;
import dev.backupstate.cluster.ClusterProbes;
import dev.backupstate.cluster.ClusterWork;
import dev.backupstate.bucket.BucketCredentials;
import dev.backupstate.cluster.KubeconfigPolicy;
import dev.backupstate.cluster.LocationChecks;
import dev.backupstate.cluster.StorkLocations;
import dev.backupstate.model.Mode;
import dev.backupstate.cluster.Kubeconfigs;
import dev.backupstate.cluster.ProgressFollower;
import dev.backupstate.cluster.VirtualMachines;
import java.time.Clock;
import java.time.Duration;

/** The engine's side of its clusters, built from the bse.clusters.* settings and closed with the engine. */
public final class ClusterSide implements AutoCloseable {

    private final ClusterClients clients;
    private final HomeSecrets secrets;
    private final ClusterProbes probes;
    private final ClusterEffects effects;
    private final ProgressFollower follower;
    private final dev.backupstate.cluster.ClusterWatches watches;
    private final AgentReports reports;
    private final Discovery discovery;
    private final VirtualMachines virtualMachines;
    private final BucketCredentials bucketCredentials;

    public ClusterSide(Settings settings, EngineRuntime runtime, Clock clock) {
        // Stork's Deployment may run in one namespace (the Portworx Operator puts it in the StorageCluster's)
        // while the engine's resources go to Stork's admin namespace, the one it backs up others from
        String agentNamespace = settings.get("bse.clusters.agent-namespace");
        String namespace = settings.get("bse.clusters.admin-namespace");
        secrets = new HomeSecrets(settings.get("bse.clusters.secrets-kubeconfig"));
        KubeconfigPolicy policy = KubeconfigPolicy.of(settings.get("bse.clusters.kubeconfig-directory"),
                settings.get("bse.clusters.exec-commands"));
        clients = new ClusterClients(new Kubeconfigs(runtime.database(), clock, secrets, policy),
                Duration.ofMillis(Long.parseLong(settings.get("bse.clusters.request-timeout-millis"))));
        ClusterProbe probe = new ClusterProbe(clients, agentNamespace, settings.get("bse.clusters.agent-lease"),
                java.time.Duration.ofSeconds(Long.parseLong(settings.get("bse.clusters.agent-clock-skew-seconds"))), clock);
        probes = new ClusterProbes(probe, runtime.loop().catalog(), Integer.parseInt(settings.get("bse.clusters.probe-threads")),
                Duration.ofMillis(Long.parseLong(settings.get("bse.clusters.probe-period-millis"))));
        bucketCredentials = new BucketCredentials(settings.all(), System::getenv, secrets);
        StorkLocations locations = new StorkLocations(clients, namespace,
                reference -> bucketCredentials.resolve(reference).resolveCredentials(), runtime.mode() == Mode.CLASSIC);
        ClusterWork work = new ClusterWork(clients, namespace, settings.get("bse.clusters.reclaim-policy"),
                locations, runtime.mode() == Mode.CLASSIC, new dev.backupstate.effects.Observations(runtime.loop(), clock)::report);
        Duration agentTimeout = Duration.ofSeconds(Long.parseLong(settings.get("bse.clusters.agent-timeout-seconds")));
        if (runtime.mode() == Mode.FEDERATED && !LocationChecks.pinned(settings.get("bse.clusters.check-image"))) {
            org.slf4j.LoggerFactory.getLogger(ClusterSide.class).warn("bse.clusters.check-image is {}, a tag: pin it by digest "
                    + "(NAME@sha256:...) so that the check Jobs run the code you reviewed", settings.get("bse.clusters.check-image"));
        }
        LocationChecks checks = new LocationChecks(agentNamespace, namespace, settings.get("bse.clusters.check-image"),
                settings.get("bse.clusters.check-service-account"), agentTimeout, settings.get("bse.clusters.agent-deployment"));
        dev.backupstate.cluster.StorkCleanup cleanup = new dev.backupstate.cluster.StorkCleanup(clients, runtime.loop().catalog(), namespace,
                runtime.mode() == Mode.FEDERATED);
        watches = new dev.backupstate.cluster.ClusterWatches(clients, namespace, agentNamespace);
        reports = new AgentReports(clients, runtime.loop().catalog(), namespace,
                Duration.ofSeconds(Long.parseLong(settings.get("bse.clusters.agent-report-seconds"))),
                clock, checks, locations, runtime.inFlight(), cleanup, watches);
        FederatedWork federated = new FederatedWork(clients, namespace, reports, checks, locations);
        virtualMachines = new VirtualMachines(clients, runtime.loop().catalog(), runtime.mode());
        discovery = new Discovery(clients, probes, runtime.loop().catalog(),
                Duration.ofSeconds(Long.parseLong(settings.get("bse.discovery.kubeconfig-lifetime-seconds"))), clock, runtime.inFlight());
        effects = new ClusterEffects(probes, work, federated, discovery, clients,
                cleanup,
                new dev.backupstate.effects.Observations(runtime.loop(), clock)::report);
        follower = new ProgressFollower(clients, watches, runtime.loop().catalog(), namespace,
                Duration.ofSeconds(Long.parseLong(settings.get("bse.clusters.unseen-report-seconds"))),
                clock, runtime.inFlight(),
                restore -> runtime.loop().store().awaitsDispatch(dev.backupstate.model.CommandType.RUN_RESTORE, restore));
    }

    /** Credentials references resolved to keys: the bucket side's, and Classic locations' Secrets on clusters. */
    public BucketCredentials bucketCredentials() {
        return bucketCredentials;
    }

    public HomeSecrets secrets() {
        return secrets;
    }

    public ClusterClients clients() {
        return clients;
    }

    public ClusterProbes probes() {
        return probes;
    }

    public ClusterEffects effects() {
        return effects;
    }

    public VirtualMachines virtualMachines() {
        return virtualMachines;
    }

    public Discovery discovery() {
        return discovery;
    }

    public AgentReports reports() {
        return reports;
    }

    public ProgressFollower follower() {
        return follower;
    }

    @Override
    public void close() {
        probes.close();
        watches.close();
        clients.close();
        secrets.close();
    }
}
