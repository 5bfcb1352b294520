package dev.backupstate.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs on each cluster, followed by watching instead of asking per object: one informer (a LIST,
 * then a WATCH from its resourceVersion, relisting when the watch is lost) per cluster for
 * ApplicationBackups and one for ApplicationRestores in Stork's admin namespace. Following a thousand
 * running backups costs a watch per cluster, not a GET per backup every few seconds. A new leader, or an
 * engine after a restart, starts from a fresh LIST. Reads come from the informer's cache; while it has
 * not listed the cluster, or its watch is broken, a read says why instead of answering from a stale cache.
 */
public final class ClusterWatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatches.class);

    /** The kinds followed by watching. */
    static final List<ResourceDefinitionContext> KINDS = List.of(AgentContract.APPLICATION_BACKUP, AgentContract.APPLICATION_RESTORE);

    private record Watched(KubernetesClient client, Map<String, SharedIndexInformer<GenericKubernetesResource>> informers,
                           AtomicReference<String> failure) {
    }

    private final ClusterClients clients;
    private final String namespace;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    public ClusterWatches(ClusterClients clients, String namespace) {
        this.clients = clients;
        this.namespace = namespace;
    }

    /**
     * The object as the cluster's watch last showed it, or empty when the cluster has none of that name.
     * Throws, saying why, when the cluster has no kubeconfig, has not been listed yet, or its watch is broken.
     */
    public Optional<GenericKubernetesResource> get(String cluster, ResourceDefinitionContext kind, String name) {
        Watched watch = watch(cluster);
        SharedIndexInformer<GenericKubernetesResource> informer = watch.informers().get(kind.getKind());
        if (!informer.hasSynced()) {
            String failure = watch.failure().get();
            throw new IllegalStateException(failure != null ? failure
                    : "the watch of cluster " + cluster + " has not listed its " + kind.getPlural() + " yet");
        }
        if (!informer.isWatching()) {
            // the informer watches again by itself; meanwhile its cache may be stale: say why, asking the cluster once
            String failure = watch.failure().get();
            if (failure == null) {
                try {
                    watch.client().getKubernetesVersion();
                } catch (RuntimeException e) {
                    failure = "cluster " + cluster + " cannot be read: " + ClusterProbe.failed(cluster, e).cause();
                }
            }
            throw new IllegalStateException(failure != null ? failure : "the watch of cluster " + cluster + " is being restarted");
        }
        return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
    }

    /** The cluster's informers for its current client, started once (again when its kubeconfig changed). */
    private Watched watch(String cluster) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        return watched.compute(cluster, (name, old) -> {
            if (old != null && old.client() == client
                    && old.informers().values().stream().noneMatch(informer -> informer.stopped().toCompletableFuture().isDone())) {
                return old;
            }
            if (old != null) {
                old.informers().values().forEach(SharedIndexInformer::stop);
            }
            return start(cluster, client);
        });
    }

    private Watched start(String cluster, KubernetesClient client) {
        AtomicReference<String> failure = new AtomicReference<>();
        Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
        for (ResourceDefinitionContext kind : KINDS) {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind).inNamespace(namespace)
                    .runnableInformer(0);
            informer.exceptionHandler((watchStarted, error) -> {
                failure.set("cluster " + cluster + " cannot be read: " + ClusterProbe.failed(cluster, error).cause());
                LOG.debug("watch of {} on cluster {}: {}", kind.getPlural(), cluster, error.getMessage());
                // keep trying: the informer relists and watches again with back-off, as a client-go informer does
                return true;
            });
            informer.start().whenComplete((done, error) -> {
                if (error == null) {
                    failure.set(null);
                }
            });
            informers.put(kind.getKind(), informer);
        }
        return new Watched(client, informers, failure);
    }

    /** Stops the watches of clusters no longer followed (removed, or nothing running there). */
    public void retain(Collection<String> clusters) {
        watched.keySet().removeIf(cluster -> {
            if (clusters.contains(cluster)) {
                return false;
            }
            Watched old = watched.get(cluster);
            if (old != null) {
                old.informers().values().forEach(SharedIndexInformer::stop);
            }
            return true;
        });
    }

    /** For the benchmark and tests: how many clusters are watched. */
    public int watchedClusters() {
        return watched.size();
    }

    @Override
    public void close() {
        watched.values().forEach(watch -> watch.informers().values().forEach(SharedIndexInformer::stop));
        watched.clear();
    }
}
