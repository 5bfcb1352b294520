package dev.backupstate.sandbox;

import dev.backupstate.cluster.ClusterProbes;
import dev.backupstate.cluster.Kubeconfigs;
import dev.backupstate.effects.Observations;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation.ClusterProbed;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's world to manage: an object store (S3Proxy), two clusters (Kubernetes API
 * servers) each with a simulated agent, and their entries in the catalog, all in this JVM. East's agent
 * may use the bucket; west's may not (its workload identity is denied), so in Federated mode the
 * location is Valid through east only, and taking east down leaves no eligible cluster.
 *
 * <p>The clusters' API servers live in memory and get new addresses on each start: the sandbox gives
 * the engine their current kubeconfigs every time. Entries in the catalog are asked for once (their
 * request ids are fixed), through the rules like everything else.
 */
public final class Sandbox implements AutoCloseable {

    public static final String EAST = "sandbox-east";
    public static final String WEST = "sandbox-west";
    /** Running, with its agent, but not in the catalog: the cluster a newcomer adds (README "A day with the CLI"). */
    public static final String NORTH = "sandbox-north";
    public static final String LOCATION = "sandbox";
    public static final String BUCKET = "sandbox-backups";
    public static final String PREFIX = "fleet";
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final List<String> PRELOADED = List.of(EAST, WEST);

    private final SandboxObjectStore objects;
    private final Map<String, SandboxCluster> clusters = new LinkedHashMap<>();
    private final List<SandboxAgent> agents;
    private final List<SandboxKubelet> kubelets;
    private final ScheduledExecutorService agentThread;
    private final ClusterProbes probes;
    private final Observations observations;

    /** {@code agentNamespace}: where the agent's Deployment runs; {@code adminNamespace}: where it takes work (Stork's admin namespace). */
    public Sandbox(Path directory, int objectStorePort, String agentNamespace, String adminNamespace, String agentLease, Mode mode,
                   DecisionLoop loop, Kubeconfigs kubeconfigs, ClusterProbes probes, Observations observations, Clock clock)
            throws Exception {
        this.probes = probes;
        this.observations = observations;
        objects = new SandboxObjectStore(directory.resolve("objects"), objectStorePort);
        objects.createBucket(BUCKET);
        for (String name : List.of(EAST, WEST, NORTH)) {
            SandboxCluster cluster = new SandboxCluster(name);
            cluster.installAgent(agentNamespace, agentLease, true);
            for (String namespace : List.of("shop", "billing")) {
                cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                        .createOr(existing -> existing.update());
            }
            clusters.put(name, cluster);
            kubeconfigs.save(name, cluster.kubeconfig());
        }
        agents = List.of(
                new SandboxAgent(clusters.get(EAST), adminNamespace, objects.client(), true),
                new SandboxAgent(clusters.get(WEST), adminNamespace, objects.client(), false),
                new SandboxAgent(clusters.get(NORTH), adminNamespace, objects.client(), true));
        agentThread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sandbox-agents");
            thread.setDaemon(true);
            return thread;
        });
        // east's pods may use the bucket (the sandbox's keys stand for its workload identity); west's may not
        kubelets = List.of(
                new SandboxKubelet(clusters.get(EAST), adminNamespace, StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxObjectStore.ACCESS_KEY, SandboxObjectStore.SECRET_KEY))),
                new SandboxKubelet(clusters.get(WEST), adminNamespace, StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("west-workload-identity", "not-allowed"))),
                new SandboxKubelet(clusters.get(NORTH), adminNamespace, StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxObjectStore.ACCESS_KEY, SandboxObjectStore.SECRET_KEY))));
        agentThread.scheduleWithFixedDelay(() -> {
            agents.forEach(SandboxAgent::work);
            kubelets.forEach(kubelet -> {
                try {
                    kubelet.work();
                } catch (RuntimeException e) {
                    LOG.debug("sandbox kubelet: {}", e.getMessage());
                }
            });
        }, 250, 250, TimeUnit.MILLISECONDS);
        this.loop = loop;
        this.mode = mode;
        this.clock = clock;
        LOG.info("sandbox: clusters {} and {} (and {}, not yet added), bucket {} at {}", EAST, WEST, NORTH, BUCKET, objects.endpoint());
    }

    private DecisionLoop loop;
    private Mode mode;
    private Clock clock;

    /**
     * The sandbox's clusters and location in the catalog, asked as the engine's own requests (once per
     * request id): at start, by the engine that leads.
     */
    public void preload() {
        for (String name : PRELOADED) {
            ask(loop, clock, "sandbox:add-cluster:" + name, new Request.AddCluster(name, clusters.get(name).kubeconfig()));
        }
        // addresses change on every start: look at the clusters now rather than at the next probe round
        PRELOADED.forEach(this::probe);
        ask(loop, clock, "sandbox:create-location", new Request.CreateBackupLocation(LOCATION, LocationType.S3,
                objects.endpoint().toString(), SandboxObjectStore.REGION, BUCKET, PREFIX, "sandbox-credentials"));
        if (mode == Mode.FEDERATED) {
            for (String cluster : PRELOADED) {
                ask(loop, clock, "sandbox:link:" + cluster, new Request.LinkClusterToLocation(LOCATION, cluster));
            }
        }
    }

    private static void ask(DecisionLoop loop, Clock clock, String requestId, Request request) {
        var outcome = loop.submit(new Envelope(requestId, "engine", Source.CONFIGURATION, clock.instant(), request));
        if (!outcome.accepted()) {
            LOG.warn("sandbox: {} refused: {} {}", request.operation(), outcome.reason(), outcome.message());
        }
    }

    /** Probes a sandbox cluster now and reports what changed; its state as the engine now holds it. */
    public ClusterProbed probe(String cluster) {
        ClusterProbed probed = probes.probe(cluster);
        observations.report(probed);
        return probed;
    }

    public Optional<SandboxCluster> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public Map<String, SandboxCluster> clusters() {
        return clusters;
    }

    public SandboxObjectStore objects() {
        return objects;
    }

    /** Labels a namespace of a sandbox cluster so its next backups and restores end as {@code outcome}. */
    public void outcome(String cluster, String namespace, String outcome) {
        SandboxCluster target = clusters.get(cluster);
        target.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels(SandboxAgent.OUTCOME_LABEL, outcome).endMetadata().build()).createOr(existing -> existing.update());
    }

    /** The keys in the sandbox bucket, for seeing the layout and what a force delete left behind. */
    public List<String> objectKeys() {
        return objects.client().listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
    }

    @Override
    public void close() throws Exception {
        agentThread.shutdownNow();
        for (SandboxCluster cluster : clusters.values()) {
            cluster.close();
        }
        objects.close();
    }
}
