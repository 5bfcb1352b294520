package dev.backupstate.bench;

import dev.backupstate.cluster.AgentContract;
import dev.backupstate.cluster.ClusterClients;
import dev.backupstate.cluster.ClusterWatches;
import dev.backupstate.cluster.Kubeconfigs;
import dev.backupstate.cluster.ProgressFollower;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Observation;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.store.Database;
import dev.backupstate.store.Fence;
import dev.backupstate.store.InFlight;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 22: following running backups, by asking (one GET per running backup and round, as the engine
 * did) and by watching (one informer per cluster and kind, rounds read its cache). Counts the Kubernetes
 * API requests the clusters' API servers answered in a minute of rounds at the default period, and the
 * time from a status change written on a cluster to the round that reports it.
 */
final class FollowBenchmark {

    private static final String NS = "kube-system";

    private final int clusters;
    private final int backups;
    private final Duration period;
    private final int changes;

    FollowBenchmark(int clusters, int backups, Duration period, int changes) {
        this.clusters = clusters;
        this.backups = backups;
        this.period = period;
        this.changes = changes;
    }

    String run() throws Exception {
        List<SandboxCluster> servers = new ArrayList<>();
        var dataSource = Database.open("jdbc:h2:mem:follow;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", null);
        Kubeconfigs kubeconfigs = new Kubeconfigs(dataSource, Clock.systemUTC());
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int c = 0; c < clusters; c++) {
            SandboxCluster server = new SandboxCluster("c" + c);
            servers.add(server);
            kubeconfigs.save("c" + c, server.kubeconfig());
            catalog.put(new Cluster("c" + c, ClusterState.ACTIVE, null, true, null, "bench"));
        }
        for (int b = 0; b < backups; b++) {
            String cluster = "c" + (b % clusters);
            catalog.put(new Backup("b" + b, BackupState.IN_PROGRESS, cluster, "l1", "bench", null, null, Instant.now(),
                    List.of("shop"), null, BackupMethod.SNAPSHOT, null, null, "Volumes", null));
            var object = AgentContract.resource(AgentContract.APPLICATION_BACKUP, NS, "b" + b, Map.of("backupLocation", "l1"));
            object.setAdditionalProperty("status", Map.of("status", "InProgress", "stage", "Volumes"));
            servers.get(b % clusters).client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS)
                    .resource(object).create();
        }
        StringBuilder report = new StringBuilder("## Following running backups (issue 22)\n\n");
        report.append(String.format(Locale.ROOT, "%,d running backups on %d clusters (fabric8 mock API servers in CRUD mode, "
                + "one per cluster), rounds every %d ms (bse.clusters.follow-period-millis); requests counted by the API servers.%n%n",
                backups, clusters, period.toMillis()));
        try (ClusterClients clients = new ClusterClients(kubeconfigs, Duration.ofSeconds(10))) {
            // before: what the follower did, a GET per running backup and round; one round counted and timed
            // (a minute holds 60 s / period rounds, or fewer when a round takes longer than the period)
            long before = servers.stream().mapToLong(SandboxCluster::requestCount).sum();
            long roundStart = System.nanoTime();
            for (var resource : catalog.all(dev.backupstate.model.ResourceKind.BACKUP)) {
                Backup backup = (Backup) resource;
                clients.client(backup.cluster()).orElseThrow().genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                        .inNamespace(NS).withName(backup.name()).get();
            }
            long roundMillis = (System.nanoTime() - roundStart) / 1_000_000;
            long perRound = servers.stream().mapToLong(SandboxCluster::requestCount).sum() - before;
            long pollRequests = perRound * Duration.ofMinutes(1).toMillis() / Math.max(period.toMillis(), roundMillis);
            long[] pollLatency = latencies(servers, clients, catalog, null, Math.min(changes, 5), 0);
            // after: informers, rounds reading their caches
            try (ClusterWatches watches = new ClusterWatches(clients, NS, NS)) {
                ProgressFollower follower = follower(clients, watches, catalog, dataSource);
                long watchRequests = countPerMinute(servers, follower::round);
                long[] watchLatency = latencies(servers, clients, catalog, follower, changes, 3);
                report.append("| follow by | API requests in one minute of rounds | status change to report, median | p95 |\n");
                report.append("|---|---:|---:|---:|\n");
                report.append(String.format(Locale.ROOT, "| GET per running backup and round (before; one round of %,d GETs took %,d ms) | %,d | %d ms | %d ms |%n",
                        perRound, roundMillis, pollRequests, median(pollLatency), p95(pollLatency)));
                report.append(String.format(Locale.ROOT, "| informer per cluster and kind (after; first minute, LIST and WATCH included) | %,d | %d ms | %d ms |%n",
                        watchRequests, median(watchLatency), p95(watchLatency)));
                report.append(String.format(Locale.ROOT, "%nRatio of requests: %.0fx fewer. Latency: from the write on the cluster to "
                        + "the round that reports it (rounds start at a random phase of the period; before, a round is %,d GETs); "
                        + "%d status changes after, %d before.%n", (double) pollRequests / Math.max(1, watchRequests), backups, changes,
                        Math.min(changes, 5)));
            }
        } finally {
            servers.forEach(SandboxCluster::close);
            dataSource.close();
        }
        return report.toString();
    }

    private ProgressFollower follower(ClusterClients clients, ClusterWatches watches, InMemoryCatalog catalog,
                                      javax.sql.DataSource dataSource) {
        return new ProgressFollower(clients, watches, catalog, NS, Duration.ofMinutes(10),
                Clock.systemUTC(), new InFlight(dataSource, Fence.none()), ref -> false);
    }

    /**
     * Requests the API servers answer during a minute's worth of rounds (60 s / period of them, run back
     * to back: a watch costs no request while it stays open, a GET costs the same whenever it is sent),
     * the first round included: what a new leader, or an engine after a restart, pays to start.
     */
    private long countPerMinute(List<SandboxCluster> servers, ThrowingRound round) throws Exception {
        long before = servers.stream().mapToLong(SandboxCluster::requestCount).sum();
        int rounds = (int) (Duration.ofMinutes(1).toMillis() / period.toMillis());
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        return servers.stream().mapToLong(SandboxCluster::requestCount).sum() - before;
    }

    /** Status changes written on a cluster, each timed until a round (every period) reports it. */
    private long[] latencies(List<SandboxCluster> servers, ClusterClients clients, InMemoryCatalog catalog,
                             ProgressFollower follower, int changes, int offset) throws Exception {
        long[] took = new long[changes];
        for (int i = 0; i < changes; i++) {
            // a running backup each time (distinct ones), which Stork finishes
            int b = (i * 7 + offset) % backups;
            SandboxCluster server = servers.get(b % clusters);
            String word = "Successful";
            long written = System.nanoTime();
            server.client().genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(NS).withName("b" + b).edit(o -> {
                o.setAdditionalProperty("status", Map.of("status", word, "stage", word.equals("Successful") ? "Final" : "Volumes"));
                return o;
            });
            // rounds on the period, starting at a random phase as a timer would
            long phase = (long) (Math.random() * period.toNanos());
            long nextRound = written + phase;
            while (true) {
                long wait = nextRound - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                boolean seen;
                if (follower == null) {
                    // a round asks for every running backup, the one changed among them
                    String status = null;
                    for (var resource : catalog.all(dev.backupstate.model.ResourceKind.BACKUP)) {
                        Backup backup = (Backup) resource;
                        var found = clients.client(backup.cluster()).orElseThrow().genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                                .inNamespace(NS).withName(backup.name()).get();
                        if (backup.name().equals("b" + b)) {
                            status = AgentContract.status(found, "status");
                        }
                    }
                    seen = word.equals(status);
                } else {
                    List<Observation> reported = follower.round();
                    seen = reported.stream().anyMatch(o -> o instanceof Observation.BackupProgressed p && p.backup().equals("b" + b));
                }
                if (seen) {
                    break;
                }
                nextRound += period.toNanos();
            }
            took[i] = (System.nanoTime() - written) / 1_000_000;
            // the catalog follows what was reported, as the rules would make it
            Backup now = (Backup) catalog.find(dev.backupstate.model.ResourceRef.of(dev.backupstate.model.ResourceKind.BACKUP, "b" + b)).orElseThrow();
            catalog.put(now.withState(BackupState.SUCCESS, null));
        }
        return took;
    }

    private interface ThrowingRound {
        void run() throws Exception;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long p95(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.95) - 1)];
    }
}
