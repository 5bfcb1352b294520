package dev.backupstate.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fabric8 client per cluster, built from its kubeconfig and kept while the kubeconfig is the same.
 * All clients share one Vert.x instance, so a fleet of clusters costs connections, not thread pools.
 * Requests fail fast (connect and request timeouts, no retries): the probe and the follow-up routes
 * decide when to ask again, and a slow cluster must not hold a probe thread for minutes.
 */
public final class ClusterClients implements AutoCloseable {

    private record Entry(String kubeconfig, KubernetesClient client) {
    }

    private final Kubeconfigs kubeconfigs;
    private final Duration timeout;
    private final Vertx vertx = Vertx.vertx();
    private final VertxHttpClientFactory httpClients = new VertxHttpClientFactory(vertx);
    private final Map<String, Entry> clients = new ConcurrentHashMap<>();

    public ClusterClients(Kubeconfigs kubeconfigs, Duration timeout) {
        this.kubeconfigs = kubeconfigs;
        this.timeout = timeout;
    }

    public Kubeconfigs kubeconfigs() {
        return kubeconfigs;
    }

    /** The cluster's client, or empty when no kubeconfig is known for it. */
    public Optional<KubernetesClient> client(String cluster) {
        Optional<String> kubeconfig = kubeconfigs.resolve(cluster);
        if (kubeconfig.isEmpty()) {
            forget(cluster);
            return Optional.empty();
        }
        Entry entry = clients.compute(cluster, (name, old) -> {
            if (old != null && old.kubeconfig().equals(kubeconfig.get())) {
                return old;
            }
            if (old != null) {
                old.client().close();
            }
            return new Entry(kubeconfig.get(), build(config(kubeconfig.get())));
        });
        return Optional.of(entry.client());
    }

    /** The fabric8 configuration of a kubeconfig, with this engine's timeouts. */
    Config config(String kubeconfig) {
        Config config;
        try {
            config = Config.fromKubeconfig(kubeconfig);
        } catch (RuntimeException e) {
            // the parser's message may quote the document; name the problem only
            throw new IllegalArgumentException("the kubeconfig cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        int millis = (int) timeout.toMillis();
        config.setConnectionTimeout(millis);
        config.setRequestTimeout(millis);
        config.setRequestRetryBackoffLimit(0);
        return config;
    }

    private KubernetesClient build(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpClients).build();
    }

    /** Closes and drops the cluster's client (the cluster was removed, or its kubeconfig changed). */
    public void forget(String cluster) {
        Entry old = clients.remove(cluster);
        if (old != null) {
            old.client().close();
        }
    }

    @Override
    public void close() {
        clients.values().forEach(entry -> entry.client().close());
        clients.clear();
        vertx.close();
    }
}
