package dev.backupstate.bench;

import dev.backupstate.cluster.ClusterClients;
import dev.backupstate.cluster.ClusterProbe;
import dev.backupstate.cluster.ClusterProbes;
import dev.backupstate.cluster.Kubeconfigs;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.store.Database;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Issue 4: one probe round over a fleet of clusters (API version, agent deployment, per cluster, each
 * with its own client and credentials), next to the floor: the same two GETs per cluster with the same
 * clients in a plain sequential loop. The clusters are contexts on a few fabric8 mock API servers.
 */
final class ProbeBenchmark {

    private final int clusters;
    private final int servers;
    private final int[] threadCounts;
    private final int rounds;

    ProbeBenchmark(int clusters, int servers, int[] threadCounts, int rounds) {
        this.clusters = clusters;
        this.servers = servers;
        this.threadCounts = threadCounts;
        this.rounds = rounds;
    }

    String run() throws Exception {
        List<SandboxCluster> apiServers = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            SandboxCluster server = new SandboxCluster("api-" + i);
            server.installAgent("kube-system", "stork", true);
            apiServers.add(server);
        }
        var dataSource = Database.open("jdbc:h2:mem:probes;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", null);
        Kubeconfigs kubeconfigs = new Kubeconfigs(dataSource, Clock.systemUTC());
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int i = 0; i < clusters; i++) {
            String name = "c" + i;
            kubeconfigs.save(name, apiServers.get(i % servers).kubeconfig());
            catalog.put(new Cluster(name, ClusterState.ACTIVE, null, true, null, "bench"));
        }
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        StringBuilder report = new StringBuilder("## Cluster probes (issue 4)\n\n");
        report.append(String.format(Locale.ROOT, "%,d clusters as contexts on %d fabric8 mock API servers (HTTPS, bearer token), "
                + "one fabric8 client per cluster sharing one Vert.x; a probe is GET /version and GET the agent's Lease; "
                + "probe period 60 s; %d measured rounds after one warm-up round.%n%n", clusters, servers, rounds));
        try (ClusterClients clients = new ClusterClients(kubeconfigs, Duration.ofSeconds(10))) {
            ClusterProbe probe = new ClusterProbe(clients, "kube-system", "stork", java.time.Duration.ofSeconds(30), Clock.systemUTC());
            List<KubernetesClient> bare = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                bare.add(clients.client("c" + i).orElseThrow());
            }
            int clientThreads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
            long[] floor = new long[rounds];
            floorLoop(bare);
            for (int r = 0; r < rounds; r++) {
                floor[r] = floorLoop(bare);
            }
            long floorMedian = median(floor);
            report.append("| what | threads | round p50 | min | max | per cluster | vs floor | within 60 s |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
            report.append(row("floor: sequential GET loop, same clients", "1", floor, floorMedian));
            for (int threads : threadCounts) {
                try (ClusterProbes probes = new ClusterProbes(probe, catalog, threads, Duration.ofMinutes(1))) {
                    probes.round();
                    long[] times = new long[rounds];
                    int changed = 0;
                    for (int r = 0; r < rounds; r++) {
                        long start = System.nanoTime();
                        changed += probes.round().size();
                        times[r] = System.nanoTime() - start;
                    }
                    if (changed != 0) {
                        throw new IllegalStateException(changed + " probes did not find their cluster Active");
                    }
                    report.append(row("probe round (ClusterProbes)", String.valueOf(threads), times, floorMedian));
                }
            }
            report.append(String.format(Locale.ROOT, "%nThreads: the probe pool's (column \"threads\"), plus %d that the %,d clients "
                    + "started together (Vert.x event loops and timers; counted as the JVM's thread count before and after "
                    + "building them). Live threads by name at the end: %s.%n%n", clientThreads, clusters, threadNames()));
        } finally {
            dataSource.close();
            for (SandboxCluster server : apiServers) {
                server.close();
            }
        }
        return report.toString();
    }

    private static long floorLoop(List<KubernetesClient> clients) {
        long start = System.nanoTime();
        for (KubernetesClient client : clients) {
            client.getKubernetesVersion();
            client.leases().inNamespace("kube-system").withName("stork").get();
        }
        return System.nanoTime() - start;
    }

    private String row(String what, String threads, long[] times, long floorMedian) {
        long median = median(times);
        return String.format(Locale.ROOT, "| %s | %s | %.2f s | %.2f s | %.2f s | %.0f us | %.2fx | %s |%n", what, threads,
                median / 1e9, Arrays.stream(times).min().orElse(0) / 1e9, Arrays.stream(times).max().orElse(0) / 1e9,
                median / 1e3 / clusters, (double) median / floorMedian, median < 60e9 ? "yes" : "no");
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String threadNames() {
        Map<String, Long> byPrefix = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N"), Collectors.counting()));
        return byPrefix.entrySet().stream().filter(e -> e.getValue() > 1).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
