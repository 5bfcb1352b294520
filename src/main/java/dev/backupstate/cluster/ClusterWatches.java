package dev.backupstate.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs on each cluster, followed by watching instead of asking per object: one informer (a LIST,
 * then a WATCH from its resourceVersion, relisting when the watch is lost) per cluster and kind, for
 * what the engine follows there: ApplicationBackups, ApplicationRestores and the Events about Stork's
 * objects in Stork's admin namespace; the engine's check Jobs and their Pods (its label) in Stork's
 * namespace, each started when first read. Following a thousand running backups costs a watch per
 * cluster and kind, not a GET per backup every few seconds. A new leader, or an engine after a restart, starts from a fresh LIST. Reads
 * come from the informers' caches; while one has not listed the cluster, or its watch is broken, a read
 * says why instead of answering from a stale cache. The cache trails the cluster by the watch's delay:
 * what the engine itself just wrote may not be in it yet, so readers tell objects apart by uid, not by
 * absence.
 */
public final class ClusterWatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatches.class);

    /** What is followed on each cluster. */
    public enum Followed {
        BACKUPS("applicationbackups"), RESTORES("applicationrestores"), JOBS("check jobs"), PODS("check pods"), EVENTS("events");

        final String plural;

        Followed(String plural) {
            this.plural = plural;
        }
    }

    /**
     * A watch just started (or started again while the cluster answers), whose LIST or WATCH has not come
     * back yet: not a failure of the cluster, and what is looked for may be there; readers wait for the
     * next round rather than report anything.
     */
    public static final class NotListedYet extends IllegalStateException {
        NotListedYet(String message) {
            super(message);
        }
    }

    /** One informer and what its last failure was (cleared once it has listed). */
    private record Informer(SharedIndexInformer<? extends HasMetadata> informer, AtomicReference<String> failure) {
    }

    /** A cluster's informers, each started on its first read: a reader that needs no Events starts no watch of them. */
    private record Watched(KubernetesClient client, Map<Followed, Informer> informers) {
        boolean stopped() {
            return informers.values().stream().anyMatch(one -> one.informer().stopped().toCompletableFuture().isDone());
        }

        void stop() {
            informers.values().forEach(one -> one.informer().stop());
        }
    }

    private final ClusterClients clients;
    private final String adminNamespace;
    private final String agentNamespace;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    /** Which clusters each reader (the progress follower, the agent reports) follows now: a watch stops when none does. */
    private final Map<String, Set<String>> followedBy = new ConcurrentHashMap<>();

    /**
     * {@code adminNamespace}: Stork's admin namespace (its ApplicationBackups and Restores, and their Events);
     * {@code agentNamespace}: Stork's own, where the engine's check Jobs run.
     */
    public ClusterWatches(ClusterClients clients, String adminNamespace, String agentNamespace) {
        this.clients = clients;
        this.adminNamespace = adminNamespace;
        this.agentNamespace = agentNamespace;
    }

    /**
     * The ApplicationBackup or ApplicationRestore as the cluster's watch last showed it, or empty when the
     * cluster has none of that name. Throws, saying why, when the cluster has no kubeconfig, has not been
     * listed yet, or its watch is broken.
     */
    public Optional<GenericKubernetesResource> get(String cluster, ResourceDefinitionContext kind, String name) {
        Followed followed = kind.getKind().equals(AgentContract.APPLICATION_RESTORE.getKind()) ? Followed.RESTORES : Followed.BACKUPS;
        return Optional.ofNullable(this.<GenericKubernetesResource>cache(cluster, followed).getStore().getByKey(adminNamespace + "/" + name));
    }

    /** Every ApplicationBackup on the cluster (Stork's admin namespace), as last watched. */
    public List<GenericKubernetesResource> backups(String cluster) {
        return this.<GenericKubernetesResource>cache(cluster, Followed.BACKUPS).getStore().list();
    }

    /** The engine's check Job of that name, as last watched. */
    public Optional<Job> job(String cluster, String name) {
        return Optional.ofNullable(this.<Job>cache(cluster, Followed.JOBS).getStore().getByKey(agentNamespace + "/" + name));
    }

    /** The engine's check Jobs with that label and value. */
    public List<Job> jobs(String cluster, String label, String value) {
        return this.<Job>cache(cluster, Followed.JOBS).getStore().list().stream()
                .filter(job -> job.getMetadata().getLabels() != null && value.equals(job.getMetadata().getLabels().get(label)))
                .toList();
    }

    /** The pods the Job controller made for a check Job (its {@code job-name} label). */
    public List<Pod> podsOf(String cluster, String job) {
        return this.<Pod>cache(cluster, Followed.PODS).getStore().list().stream()
                .filter(pod -> pod.getMetadata().getLabels() != null
                        && job.equals(pod.getMetadata().getLabels().get(LocationChecks.JOB_NAME_LABEL)))
                .toList();
    }

    /** The Events about one of Stork's objects (kind and name) in the admin namespace. */
    public List<Event> eventsAbout(String cluster, String kind, String name) {
        return this.<Event>cache(cluster, Followed.EVENTS).getStore().list().stream()
                .filter(event -> event.getInvolvedObject() != null && name.equals(event.getInvolvedObject().getName())
                        && kind.equals(event.getInvolvedObject().getKind()))
                .toList();
    }

    /** The informer of that kind on the cluster, once it has listed it and while it watches; else why not. */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> SharedIndexInformer<T> cache(String cluster, Followed followed) {
        Watched watch = watch(cluster);
        Informer one = watch.informers().computeIfAbsent(followed, kind -> start(cluster, watch.client(), kind));
        SharedIndexInformer<T> informer = (SharedIndexInformer<T>) one.informer();
        if (!informer.hasSynced()) {
            String failure = one.failure().get();
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            throw new NotListedYet("the watch of cluster " + cluster + " has not listed its " + followed.plural + " yet");
        }
        if (!informer.isWatching()) {
            // the informer watches again by itself; meanwhile its cache may be stale: say why, asking the cluster once
            String failure = one.failure().get();
            if (failure == null) {
                try {
                    watch.client().getKubernetesVersion();
                } catch (RuntimeException e) {
                    failure = "cluster " + cluster + " cannot be read: " + ClusterProbe.failed(cluster, e).cause();
                }
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            // the cluster answers: the watch is being started again after its LIST, in a moment
            throw new NotListedYet("the watch of cluster " + cluster + " is being restarted");
        }
        return informer;
    }

    /** The cluster's informers for its current client (all started again when its kubeconfig changed). */
    private Watched watch(String cluster) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        return watched.compute(cluster, (name, old) -> {
            if (old != null && old.client() == client && !old.stopped()) {
                return old;
            }
            if (old != null) {
                old.stop();
            }
            return new Watched(client, new ConcurrentHashMap<>());
        });
    }

    private Informer start(String cluster, KubernetesClient client, Followed followed) {
        SharedIndexInformer<? extends HasMetadata> informer = switch (followed) {
            case BACKUPS -> client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(adminNamespace)
                    .runnableInformer(0);
            case RESTORES -> client.genericKubernetesResources(AgentContract.APPLICATION_RESTORE).inNamespace(adminNamespace)
                    .runnableInformer(0);
            case JOBS -> client.batch().v1().jobs().inNamespace(agentNamespace)
                    .withLabel(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY).runnableInformer(0);
            // the Job controller gives a Job's pods its template's labels, ours among them
            case PODS -> client.pods().inNamespace(agentNamespace)
                    .withLabel(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY).runnableInformer(0);
            // Stork's recorder names its objects by their apiVersion; the admin namespace (kube-system by
            // default) has many other Events, which the API server keeps out of the watch
            case EVENTS -> client.v1().events().inNamespace(adminNamespace)
                    .withField("involvedObject.apiVersion", AgentContract.STORK_GROUP + "/" + AgentContract.STORK_VERSION)
                    .runnableInformer(0);
        };
        AtomicReference<String> failure = new AtomicReference<>();
        informer.exceptionHandler((watchStarted, error) -> {
            failure.set("cluster " + cluster + " cannot be read: " + ClusterProbe.failed(cluster, error).cause());
            LOG.debug("watch of {} on cluster {}: {}", followed.plural, cluster, error.getMessage());
            // keep trying: the informer relists and watches again with back-off, as a client-go informer does
            return true;
        });
        informer.start().whenComplete((done, error) -> {
            if (error == null) {
                failure.set(null);
            }
        });
        return new Informer(informer, failure);
    }

    /**
     * The clusters {@code reader} follows now (those it has something running or awaited on); a cluster's
     * watches stop once no reader follows it.
     */
    public void retain(String reader, Collection<String> clusters) {
        followedBy.put(reader, Set.copyOf(clusters));
        Set<String> anyone = new HashSet<>();
        followedBy.values().forEach(anyone::addAll);
        watched.keySet().removeIf(cluster -> {
            if (anyone.contains(cluster)) {
                return false;
            }
            Watched old = watched.get(cluster);
            if (old != null) {
                old.stop();
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
        watched.values().forEach(Watched::stop);
        watched.clear();
    }
}
