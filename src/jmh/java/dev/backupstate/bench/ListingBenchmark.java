package dev.backupstate.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.inbox.Json;
import dev.backupstate.inbox.ListQuery;
import dev.backupstate.inbox.Tokens;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.store.Database;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Filtered pages of a catalog of 100,000 backups (issue 14: a filtered page answered in 50 ms or less),
 * through the engine's REST API on loopback as a client sees it: HTTP, token, visibility, filter, page,
 * JSON. The catalog is written to the embedded store before the engine starts, which loads it as after
 * any restart. Baselines in the same run: one backup by name (a point read) over HTTP, and in the JVM the
 * old way of answering a list (every backup of the kind, filtered, sorted) against the page walk.
 */
final class ListingBenchmark {

    private static final String ADMIN = "bench-admin-token";
    private static final String DEV = "bench-dev-token";
    private static final int WARM_UP = 100;
    private static final int MEASURED = 200;

    private final int backups;

    ListingBenchmark(int backups) {
        this.backups = backups;
    }

    /** 100 clusters, 20 locations, 50 owners (dev owns one in a hundred), ten teams; states as a fleet has them. */
    static Backup backup(int i, Instant now) {
        BackupState state = i % 1000 == 7 ? BackupState.ABORTED : i % 20 == 3 ? BackupState.FAILURE
                : i % 33 == 5 ? BackupState.PARTIAL_SUCCESS : BackupState.SUCCESS;
        String owner = i % 100 == 0 ? "dev" : "owner-" + (i % 50);
        return new Backup(String.format("backup-%06d", i), state, "c" + (i % 100), "l" + (i % 20), owner, null, null,
                now.minusSeconds(i), List.of("shop"), null, BackupMethod.SNAPSHOT, null, null, state.label(), null, null,
                Map.of("team", "t" + (i % 10))).withUid(java.util.UUID.nameUUIDFromBytes(("backup-" + i).getBytes()).toString());
    }

    String run() throws Exception {
        Path work = Files.createTempDirectory("bench-listing");
        Instant now = Instant.now();
        long loadStarted = System.nanoTime();
        try (HikariDataSource store = Database.open(Database.embeddedUrl(work.resolve("data")), "sa", "", null);
             Connection connection = store.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into resource (kind, name, state, body, updated_at) values (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < backups; i++) {
                Backup backup = backup(i, now);
                insert.setString(1, ResourceKind.BACKUP.name());
                insert.setString(2, backup.name());
                insert.setString(3, backup.state().name());
                insert.setString(4, Json.json().writeValueAsString(backup));
                insert.setTimestamp(5, Timestamp.from(now));
                insert.addBatch();
                if (i % 5000 == 4999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
        int port = freePort();
        Map<String, String> settings = new HashMap<>(Map.of(
                "bse.inbox.directory", work.resolve("inbox").toString(),
                "bse.outbox.directory", work.resolve("outbox").toString(),
                "bse.data.directory", work.resolve("data").toString(),
                "camel.server.port", String.valueOf(port),
                "camel.management.port", String.valueOf(freePort()),
                "bse.broker.listen", "",
                "bse.sandbox.enabled", "false",
                "bse.mode", "Federated",
                "bse.users.operators", "dev",
                "bse.tokens", "admin=" + Tokens.hash(ADMIN) + ",dev=" + Tokens.hash(DEV)));
        // the page's cost is measured, not a per-user policy: one client asks as fast as it can
        settings.put("bse.limits.requests-per-second", "0");
        org.apache.camel.main.Main engine = dev.backupstate.app.Main.camel(Path.of("config/application.properties"), settings);
        long started = System.nanoTime();
        engine.start();
        long startMillis = (System.nanoTime() - started) / 1_000_000;
        StringBuilder report = new StringBuilder("### Filtered pages of " + String.format("%,d", backups) + " backups (issue 14)\n\n")
                .append("Through the REST API on loopback, one client, ").append(MEASURED).append(" calls each after ").append(WARM_UP)
                .append(" to warm up; the catalog written to the embedded store (").append(loadMillis)
                .append(" ms) and loaded by the engine at start (").append(startMillis).append(" ms with the rest of the start).\n\n")
                .append("| query | items | median | p95 | vs the warm point read |\n|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1";
            HttpClient http = HttpClient.newHttpClient();
            Map<String, String[]> queries = new LinkedHashMap<>();
            queries.put("one backup by name, first (the HTTP path still warming)", new String[] {ADMIN, "/resources/backups/backup-050000"});
            queries.put("first page of 100, no filter", new String[] {ADMIN, "/resources/backups?limit=100"});
            queries.put("state=Failure (5 %), page of 100", new String[] {ADMIN, "/resources/backups?state=Failure&limit=100"});
            queries.put("location=l7 and state=Success, page of 100", new String[] {ADMIN, "/resources/backups?location=l7&state=Success&limit=100"});
            queries.put("labelSelector=team=t3, page of 100", new String[] {ADMIN, "/resources/backups?labelSelector=team%3Dt3&limit=100"});
            queries.put("cluster=c42, page of 100 continued from the middle", new String[] {ADMIN,
                    "/resources/backups?cluster=c42&limit=100&continue=" + ListQuery.token("backup-050000")});
            queries.put("state=Aborted (0.1 %): the whole catalog walked", new String[] {ADMIN, "/resources/backups?state=Aborted&limit=100"});
            queries.put("a non-admin's own backups (1 %), page of 100", new String[] {DEV, "/resources/backups?limit=100"});
            queries.put("default page (500), no filter", new String[] {ADMIN, "/resources/backups"});
            queries.put("one backup by name, last (baseline: the warm point read)", new String[] {ADMIN, "/resources/backups/backup-050001"});
            // the catalog is read when this engine leads (moments after the start)
            HttpRequest ready = HttpRequest.newBuilder(URI.create(api + "/resources/backups/backup-050000"))
                    .header("Authorization", "Bearer " + ADMIN).build();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the engine did not load the catalog within a minute");
                }
                Thread.sleep(100);
            }
            for (Map.Entry<String, String[]> query : queries.entrySet()) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(api + query.getValue()[1]))
                        .header("Authorization", "Bearer " + query.getValue()[0]).build();
                int items = 0;
                for (int i = 0; i < WARM_UP; i++) {
                    http.send(request, HttpResponse.BodyHandlers.ofString());
                }
                List<Long> nanos = new ArrayList<>();
                for (int i = 0; i < MEASURED; i++) {
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    nanos.add(System.nanoTime() - sent);
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(query.getKey() + ": " + answer.statusCode() + " " + answer.body());
                    }
                    if (i == 0) {
                        var body = Json.json().readTree(answer.body());
                        items = body.has("items") ? body.path("items").size() : 1;
                    }
                }
                rows.add(new String[] {query.getKey(), String.valueOf(items), String.valueOf(percentile(nanos, 50) / 1e6),
                        String.valueOf(percentile(nanos, 95) / 1e6)});
            }
            // the baseline is the point read measured last, when the HTTP path is as warm as for every page
            double point = Double.parseDouble(rows.get(rows.size() - 1)[2]);
            for (String[] row : rows) {
                report.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ")
                        .append(String.format("%.2f ms", Double.parseDouble(row[2]))).append(" | ")
                        .append(String.format("%.2f ms", Double.parseDouble(row[3]))).append(" | ")
                        .append(String.format("%.1fx", Double.parseDouble(row[2]) / point)).append(" |\n");
            }
        } finally {
            engine.stop();
        }
        report.append('\n').append(inJvm(now)).append('\n');
        return report.toString();
    }

    /** The page walk against the old answer (every backup, filtered, sorted, the first 100 kept), in the JVM, no HTTP. */
    private String inJvm(Instant now) {
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int i = 0; i < backups; i++) {
            catalog.put(backup(i, now));
        }
        Predicate<Resource> failed = resource -> resource.state() == BackupState.FAILURE;
        List<Long> walk = new ArrayList<>();
        List<Long> old = new ArrayList<>();
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            long started = System.nanoTime();
            int a = catalog.page(ResourceKind.BACKUP, failed, null, 100).items().size();
            long walked = System.nanoTime() - started;
            started = System.nanoTime();
            List<Resource> all = new ArrayList<>(catalog.all(ResourceKind.BACKUP));
            all.sort(Comparator.comparing(Resource::name));
            int b = all.stream().filter(failed).limit(100).toList().size();
            long copied = System.nanoTime() - started;
            if (a != b) {
                throw new IllegalStateException("the page walk and the old answer differ");
            }
            if (i >= WARM_UP) {
                walk.add(walked);
                old.add(copied);
            }
        }
        double walkMedian = percentile(walk, 50) / 1e6;
        double oldMedian = percentile(old, 50) / 1e6;
        return "In the JVM, state=Failure, page of 100: the page walk " + String.format("%.3f ms", walkMedian)
                + " median, the old answer (copy every backup, sort, filter) " + String.format("%.3f ms", oldMedian)
                + String.format(" (%.0fx).", oldMedian / walkMedian) + "\n";
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
