package dev.backupstate.cluster;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Observation.ClusterProbed;
import dev.backupstate.model.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A probe round over the fleet: every managed cluster not being removed, probed concurrently on a
 * bounded pool, at most one probe in flight per cluster (a cluster still answering the last round is
 * left out of this one). The round reports only what differs from the catalog: a probe that confirms
 * a cluster's state would be decided as "changes nothing", and at 1,000 clusters a minute that is
 * 1.4 million audit records a day saying so.
 */
public final class ClusterProbes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterProbes.class);

    private final ClusterProbe probe;
    private final Catalog catalog;
    private final ExecutorService pool;
    private final int threads;
    private final Duration roundLimit;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<ClusterProbed> finished = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public ClusterProbes(ClusterProbe probe, Catalog catalog, int threads, Duration roundLimit) {
        this.probe = probe;
        this.catalog = catalog;
        this.threads = threads;
        this.roundLimit = roundLimit;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "cluster-probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public int threads() {
        return threads;
    }

    /** Probes the fleet once; returns the probes whose state or cause differs from the catalog's. */
    public List<ClusterProbed> round() {
        List<Cluster> clusters = new ArrayList<>();
        for (var resource : catalog.all(ResourceKind.CLUSTER)) {
            Cluster cluster = (Cluster) resource;
            // a Pending cluster is probed by its PROBE_CLUSTER command, which first keeps its kubeconfig
            if (cluster.managed() && cluster.state() != ClusterState.DELETE_PENDING && cluster.state() != ClusterState.PENDING
                    && inFlight.add(cluster.name())) {
                clusters.add(cluster);
            }
        }
        List<Future<?>> running = new ArrayList<>(clusters.size());
        for (Cluster cluster : clusters) {
            running.add(pool.submit(() -> {
                try {
                    finished.add(probe.probe(cluster.name()));
                } finally {
                    inFlight.remove(cluster.name());
                }
            }));
        }
        long deadline = System.nanoTime() + roundLimit.toNanos();
        for (Future<?> probing : running) {
            if (!await(probing, deadline)) {
                break;
            }
        }
        // this round's probes, and those of earlier rounds that ended late
        List<ClusterProbed> changed = new ArrayList<>();
        for (ClusterProbed probed = finished.poll(); probed != null; probed = finished.poll()) {
            var known = catalog.find(dev.backupstate.model.ResourceRef.of(ResourceKind.CLUSTER, probed.cluster()));
            if (known.isPresent() && differs((Cluster) known.get(), probed)) {
                changed.add(probed);
            }
        }
        return changed;
    }

    private static boolean differs(Cluster known, ClusterProbed probed) {
        return probed.observed() != known.state() || !Objects.equals(probed.cause(), known.cause());
    }

    /** The probe of one cluster now, whatever the catalog says (an added cluster, a refreshed kubeconfig). */
    public ClusterProbed probe(String cluster) {
        return probe.probe(cluster);
    }

    /** False when the round's time is up: probes still running report in a later round. */
    private static boolean await(Future<?> probing, long deadline) {
        try {
            probing.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.info("probe round ended with probes still running; they report in the next round");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            LOG.warn("a cluster probe failed: {}", e.getCause().toString());
            return true;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
