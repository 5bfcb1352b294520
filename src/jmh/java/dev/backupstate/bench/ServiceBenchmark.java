package dev.backupstate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 3's load harness: durable requests per second and p50/p99 latency through the REST inbox and
 * the file inbox of a real engine (Camel Main, routes/, config/), on the embedded H2 and on PostgreSQL,
 * next to a raw JDBC insert-and-commit loop on the same database in the same run (the floor: one row,
 * one commit, the same number of client threads). A request counts once its 202 (REST) or its
 * outcome file (file inbox) is back: by then its decision is committed.
 */
final class ServiceBenchmark {

    private static final String POSTGRES_URL = env("BSE_TEST_POSTGRES_URL", "jdbc:postgresql://localhost:5432/bse_test");
    private static final String POSTGRES_USER = env("BSE_TEST_POSTGRES_USER", "bse");
    private static final String POSTGRES_PASSWORD = env("BSE_TEST_POSTGRES_PASSWORD", "bse");

    private final int requests;
    private final int files;
    private final int clients;

    ServiceBenchmark(int requests, int files, int clients) {
        this.requests = requests;
        this.files = files;
        this.clients = clients;
    }

    String run() throws Exception {
        StringBuilder report = new StringBuilder("## Engine service (issue 3): durable requests\n\n");
        report.append("REST: ").append(requests).append(" CreateBackupLocation requests from ").append(clients)
                .append(" client threads after ").append(requests / 5).append(" warm-up requests. File inbox: ")
                .append(files).append(" documents moved into inbox/ at once, latency = outcome file written - moved in.")
                .append(" Floor: ").append(requests).append(" single-row insert-and-commit transactions from ")
                .append(clients).append(" threads on a pool, same database, same run.\n\n");
        report.append("| database | path | requests/s | p50 | p99 | vs floor (throughput) |\n|---|---|---:|---:|---:|---:|\n");
        for (String database : List.of("H2 (embedded default)", "PostgreSQL")) {
            Path work = Files.createTempDirectory("bench-service");
            Map<String, String> settings = settings(database, work);
            if (settings == null) {
                report.append("| ").append(database).append(" | (not reachable: skipped) | | | | |\n");
                continue;
            }
            Figures floor = floor(settings);
            Figures direct = direct(settings);
            Figures rest = rest(work, settings);
            Figures file = file(work, settings);
            report.append(row(database, "raw JDBC insert+commit (floor)", floor, floor));
            report.append(row(database, "decision loop, called directly (no inbox)", direct, floor));
            report.append(row(database, "REST POST /api/v1/requests", rest, floor));
            report.append(row(database, "file inbox", file, floor));
        }
        return report.toString();
    }

    private static String row(String database, String path, Figures figures, Figures floor) {
        return String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %s | %.2fx |%n", database, path, figures.perSecond,
                micros(figures.p50Nanos), micros(figures.p99Nanos), figures.perSecond / floor.perSecond);
    }

    private static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.0f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** The engine's settings for one database; null when PostgreSQL is not there. */
    private static Map<String, String> settings(String database, Path work) throws IOException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bse.inbox.directory", work.resolve("inbox").toString(),
                "bse.outbox.directory", work.resolve("outbox").toString(),
                "bse.data.directory", work.resolve("data").toString(),
                "bse.inbox.settle-millis", "100",
                "camel.server.port", String.valueOf(freePort()),
                "camel.management.port", String.valueOf(freePort()),
                "bse.broker.listen", ""));
        // throughput, not a per-user policy, is measured: one client sends as fast as it can
        settings.put("bse.limits.requests-per-second", "0");
        settings.put("bse.limits.dry-runs-per-second", "0");
        if (database.startsWith("PostgreSQL")) {
            String schema = "bench_" + System.nanoTime();
            try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute("create schema " + schema);
                statement.execute("create schema " + schema + "_floor");
            } catch (SQLException e) {
                System.out.println("PostgreSQL not reachable at " + POSTGRES_URL + ": " + e.getMessage());
                return null;
            }
            settings.put("bse.database.url", POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            settings.put("bench.floor-url", POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + "_floor");
            settings.put("bse.database.user", POSTGRES_USER);
            settings.put("bse.database.password", POSTGRES_PASSWORD);
        }
        return settings;
    }

    /** One row per transaction, committed, from as many threads as the REST clients. */
    private Figures floor(Map<String, String> settings) throws Exception {
        boolean postgres = settings.containsKey("bse.database.url");
        String url = postgres ? settings.get("bench.floor-url")
                : "jdbc:h2:file:" + Path.of(settings.get("bse.data.directory")).toAbsolutePath().resolve("floor")
                + ";MODE=PostgreSQL;WRITE_DELAY=0";
        String user = postgres ? POSTGRES_USER : "sa";
        String password = postgres ? POSTGRES_PASSWORD : "";
        try (Connection setup = DriverManager.getConnection(url, user, password); Statement statement = setup.createStatement()) {
            statement.execute("create table floor_request (id bigint generated by default as identity primary key, "
                    + "request_id varchar(200) not null unique, body text not null)");
        }
        AtomicInteger next = new AtomicInteger();
        return measure(requests / 5, requests, clients, () -> {
            Connection connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(false);
            PreparedStatement insert = connection.prepareStatement("insert into floor_request (request_id, body) values (?, ?)");
            return () -> {
                insert.setString(1, "floor-" + next.incrementAndGet());
                insert.setString(2, "{\"kind\":\"CreateBackupLocation\"}");
                insert.executeUpdate();
                connection.commit();
            };
        });
    }

    /** The loop alone: facts, rules, one commit; what every inbox adds its transport to. */
    private Figures direct(Map<String, String> settings) throws Exception {
        org.apache.camel.main.Main engine = dev.backupstate.app.Main.camel(Path.of("config/application.properties"), settings);
        engine.start();
        awaitLead(engine);
        try {
            dev.backupstate.engine.DecisionLoop loop = engine.getCamelContext().getRegistry()
                    .lookupByNameAndType("engineRuntime", dev.backupstate.app.EngineRuntime.class).loop();
            AtomicInteger next = new AtomicInteger();
            return measure(requests / 5, requests, clients, () -> () -> {
                int n = next.incrementAndGet();
                var outcome = loop.submit(new dev.backupstate.model.Envelope("direct-" + n, "admin",
                        dev.backupstate.model.Source.BENCHMARK, java.time.Instant.now(),
                        dev.backupstate.inbox.OperationDocuments.parse(location("direct-" + n, "direct-l" + n)).event()));
                if (!outcome.accepted()) {
                    throw new IllegalStateException("request " + n + " refused: " + outcome.message());
                }
            });
        } finally {
            engine.stop();
        }
    }

    private Figures rest(Path work, Map<String, String> settings) throws Exception {
        org.apache.camel.main.Main engine = dev.backupstate.app.Main.camel(Path.of("config/application.properties"), settings);
        engine.start();
        awaitLead(engine);
        try {
            String url = "http://127.0.0.1:" + settings.get("camel.server.port") + "/api/v1/requests";
            HttpClient http = HttpClient.newHttpClient();
            AtomicInteger next = new AtomicInteger();
            return measure(requests / 5, requests, clients, () -> () -> {
                int n = next.incrementAndGet();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer sandbox-admin-token").header("Content-Type", "application/yaml")
                        .POST(HttpRequest.BodyPublishers.ofString(location("rest-" + n, "rest-l" + n))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("request " + n + " answered " + response.statusCode() + ": " + response.body());
                }
            });
        } finally {
            engine.stop();
        }
    }

    private Figures file(Path work, Map<String, String> settings) throws Exception {
        // admin's folders of the file drop: the folder is who asks
        Path inbox = Files.createDirectories(Path.of(settings.get("bse.inbox.directory")).resolve("admin"));
        Path outbox = Files.createDirectories(Path.of(settings.get("bse.outbox.directory")).resolve("admin"));
        Path staging = Files.createDirectories(work.resolve("staging"));
        for (int n = 0; n < files; n++) {
            Files.writeString(staging.resolve("doc-" + n + ".yaml"), location("file-" + n, "file-l" + n));
        }
        org.apache.camel.main.Main engine = dev.backupstate.app.Main.camel(Path.of("config/application.properties"), settings);
        engine.start();
        awaitLead(engine);
        try {
            Map<String, Long> movedAt = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            for (int n = 0; n < files; n++) {
                String name = "doc-" + n + ".yaml";
                movedAt.put(name, System.currentTimeMillis());
                Files.move(staging.resolve(name), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            while (count(outbox) < files) {
                Thread.sleep(20);
            }
            long elapsed = System.nanoTime() - start;
            long[] latencies = new long[files];
            for (int n = 0; n < files; n++) {
                String name = "doc-" + n + ".yaml";
                long written = Files.getLastModifiedTime(outbox.resolve(name + ".outcome.json")).toMillis();
                latencies[n] = Math.max(0, written - movedAt.get(name)) * 1_000_000L;
            }
            Arrays.sort(latencies);
            return new Figures(files / (elapsed / 1e9), latencies[files / 2], latencies[(int) (files * 0.99)]);
        } finally {
            engine.stop();
        }
    }

    private static long count(Path directory) throws IOException {
        try (var list = Files.list(directory)) {
            return list.filter(f -> f.toString().endsWith(".outcome.json")).count();
        }
    }

    private static String location(String requestId, String name) {
        return "kind: CreateBackupLocation\nmetadata: {requestId: " + requestId + ", user: admin}\n"
                + "spec: {name: " + name + ", endpoint: \"http://minio:9000\", bucket: nightly, prefix: " + name
                + ", credentials: secret/minio}\n";
    }

    interface Call {
        void call() throws Exception;
    }

    interface ClientFactory {
        Call open() throws Exception;
    }

    /** {@code warmUp} calls, then {@code count} timed calls shared among {@code threads}. */
    private static Figures measure(int warmUp, int count, int threads, ClientFactory clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                calls.add(clients.open());
            }
            run(pool, calls, warmUp, null);
            long[] latencies = new long[count];
            long start = System.nanoTime();
            run(pool, calls, count, latencies);
            long elapsed = System.nanoTime() - start;
            Arrays.sort(latencies);
            return new Figures(count / (elapsed / 1e9), latencies[count / 2], latencies[(int) (count * 0.99)]);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(ExecutorService pool, List<Call> calls, int count, long[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (Call call : calls) {
            running.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long begin = System.nanoTime();
                    call.call();
                    if (latencies != null) {
                        latencies[i] = System.nanoTime() - begin;
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
    }

    record Figures(double perSecond, long p50Nanos, long p99Nanos) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The embedded default elects itself leader through its lock file: measured once it leads. */
    private static void awaitLead(org.apache.camel.main.Main engine) throws InterruptedException {
        dev.backupstate.app.Leadership leadership = engine.getCamelContext().getRegistry()
                .lookupByNameAndType("leadership", dev.backupstate.app.Leadership.class);
        long until = System.nanoTime() + 20_000_000_000L;
        while (!leadership.leading()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the engine did not take the lead within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
