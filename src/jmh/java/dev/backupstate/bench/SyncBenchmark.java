package dev.backupstate.bench;

import dev.backupstate.app.EngineRuntime;
import dev.backupstate.app.Settings;
import dev.backupstate.bucket.BucketCredentials;
import dev.backupstate.bucket.BucketLeases;
import dev.backupstate.bucket.BucketPolls;
import dev.backupstate.bucket.Buckets;
import dev.backupstate.cluster.HomeSecrets;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation.BucketPolled;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxObjectStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Issue 5: a Classic sync of a bucket holding N backups (generated into S3Proxy in this JVM), next to
 * the floor: a raw AWS SDK ListObjectsV2 loop over the same keys. The engine's sync is the listing
 * (BucketPolls) plus the decision that reconciles the catalog (rules, one commit), measured apart:
 * the first sync imports every backup (reads each metadata.json), later ones find them known.
 */
final class SyncBenchmark {

    private static final String NAMESPACE = "kube-system";

    private final int[] sizes;

    SyncBenchmark(int[] sizes) {
        this.sizes = sizes;
    }

    String run() throws Exception {
        StringBuilder report = new StringBuilder("## Classic sync (issue 5)\n\n");
        report.append("Backups in Stork's layout, `NAMESPACE/NAME/UID/metadata.json` (the ApplicationBackup object; no other files beside "
                + "them: S3Proxy's listing cost grows "
                + "with the square of the keys), in S3Proxy (in-memory store) "
                + "in the same JVM; heap is the JVM's used heap after a full GC, after the step. Times are one run each.\n\n");
        report.append("| backups | objects | floor: ListObjectsV2 loop | sync listing, first (reads each metadata.json) | decision, first (imports) "
                + "| sync listing, steady | vs floor | decision, steady | heap after |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int size : sizes) {
            report.append(measure(size));
        }
        return report.toString();
    }

    private String measure(int size) throws Exception {
        Path work = Files.createTempDirectory("bse-sync-bench");
        int port = freePort();
        try (SandboxObjectStore s3 = new SandboxObjectStore(null, port)) {
            s3.createBucket("fleet");
            generate(s3, size);
            Settings settings = Settings.load(Path.of("config/application.properties"), Map.of(
                    "bse.data.directory", work.resolve("data").toString(), "bse.mode", "Classic",
                    "bse.users.admins", "admin", "bse.users.operators", "",
                    // the runtime alone, without the routes that elect a leader: one engine, unfenced
                    "bse.leader.cluster-service", "none"));
            try (EngineRuntime runtime = new EngineRuntime(settings, Clock.systemUTC());
                 Buckets buckets = new Buckets(new BucketCredentials(Map.of("bse.credentials.bench", "sandbox:sandbox-secret"),
                         name -> null, new HomeSecrets("")), Duration.ofSeconds(30))) {
                runtime.loop().submit(new Envelope("bench-location", "admin", Source.BENCHMARK, Instant.now(), new Request.CreateBackupLocation(
                        "bench", LocationType.S3, "http://127.0.0.1:" + port, "us-east-1", "fleet", "team", "bench")));
                BackupLocation location = (BackupLocation) runtime.loop().catalog()
                        .find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "bench")).orElseThrow();
                BucketPolls polls = new BucketPolls(buckets, new BucketLeases(runtime.database(), Clock.systemUTC(), "bench",
                        Duration.ofMinutes(5)), runtime.loop().catalog(), Mode.CLASSIC, NAMESPACE);

                long floor = floor(s3);
                long start = System.nanoTime();
                BucketPolled first = polls.poll(location).orElseThrow();
                long firstListing = System.nanoTime() - start;
                start = System.nanoTime();
                Outcome imported = decide(runtime, first);
                long firstDecision = System.nanoTime() - start;
                if (runtime.loop().catalog().count(ResourceKind.BACKUP) != size) {
                    throw new IllegalStateException("imported " + runtime.loop().catalog().count(ResourceKind.BACKUP) + " of " + size
                            + ": " + imported.message());
                }
                long steadyFloor = floor(s3);
                start = System.nanoTime();
                BucketPolled again = polls.poll(location).orElseThrow();
                long steadyListing = System.nanoTime() - start;
                start = System.nanoTime();
                decide(runtime, again);
                long steadyDecision = System.nanoTime() - start;
                long bestFloor = Math.min(floor, steadyFloor);
                return String.format(Locale.ROOT, "| %,d | %,d | %.2f s | %.2f s | %.2f s | %.2f s | %.2fx | %.2f s | %d MiB |%n", size, size,
                        bestFloor / 1e9, firstListing / 1e9, firstDecision / 1e9, steadyListing / 1e9,
                        (double) steadyListing / bestFloor, steadyDecision / 1e9, heapAfterGc());
            }
        }
    }

    private static Outcome decide(EngineRuntime runtime, BucketPolled polled) {
        return runtime.loop().submit(new Envelope("bench-" + UUID.randomUUID(), "engine", Source.OBSERVATION, Instant.now(), polled));
    }

    /** The same listing the sync does, with nothing else: pages of 1,000 keys, counting metadata.json. */
    private static long floor(SandboxObjectStore s3) {
        long start = System.nanoTime();
        long found = 0;
        for (ListObjectsV2Response page : s3.client().listObjectsV2Paginator(b -> b.bucket("fleet").prefix(NAMESPACE + "/").maxKeys(1000))) {
            found += page.contents().stream().filter(o -> o.key().endsWith("/metadata.json")).count();
        }
        if (found == 0) {
            throw new IllegalStateException("empty bucket");
        }
        return System.nanoTime() - start;
    }

    private static void generate(SandboxObjectStore s3, int size) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String name = String.format("bk-%06d", i);
                String uid = UUID.randomUUID().toString();
                String folder = NAMESPACE + "/" + name + "/" + uid + "/";
                // the ApplicationBackup object Stork uploads, as large as a small real one
                String json = """
                        {"apiVersion": "stork.libopenstorage.org/v1alpha1", "kind": "ApplicationBackup",
                         "metadata": {"name": "%s", "namespace": "%s", "uid": "%s", "creationTimestamp": "2026-11-20T01:00:00Z",
                                      "finalizers": ["stork.libopenstorage.org/finalizer-cleanup"],
                                      "annotations": {"backupstate.dev/backup": "%s", "backupstate.dev/cluster": "c%d"}},
                         "spec": {"backupLocation": "bench", "namespaces": ["shop"], "reclaimPolicy": "Retain"},
                         "status": {"status": "Successful", "stage": "Final", "triggerTimestamp": "2026-11-20T01:00:00Z",
                                    "backupPath": "%s/%s/%s"}}
                        """.formatted(name, NAMESPACE, uid, name, i % 50, NAMESPACE, name, uid);
                puts.add(pool.submit(() -> {
                    s3.client().putObject(b -> b.bucket("fleet").key(folder + "metadata.json"), RequestBody.fromString(json));
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
