package dev.backupstate.bench;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Failover (issue 12): two engine processes on one PostgreSQL electing their leader through the
 * embedded default's lock file; the leader is killed (kill -9) and the time is taken from the kill to
 * the first request the other engine decides (a request sent to it every 20 ms, as a client retrying a
 * 503 would). Each round starts both engines afresh; the acquire interval of the lock is the setting
 * the time should be read against (the product's default, bse.leader.retry-millis).
 */
final class FailoverBenchmark {

    private static final String URL = System.getenv().getOrDefault("BSE_TEST_POSTGRES_URL", "jdbc:postgresql://localhost:5432/bse_test");
    private static final String USER = System.getenv().getOrDefault("BSE_TEST_POSTGRES_USER", "bse");
    private static final String PASSWORD = System.getenv().getOrDefault("BSE_TEST_POSTGRES_PASSWORD", "bse");
    private static final String TOKEN = "sandbox-admin-token";

    private final int rounds;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FailoverBenchmark(int rounds) {
        this.rounds = rounds;
    }

    String run() throws Exception {
        List<Double> failovers = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            failovers.add(round(round));
        }
        List<Double> sorted = new ArrayList<>(failovers);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        StringBuilder report = new StringBuilder("## Failover (issue 12)\n\n");
        report.append("Two engine processes on PostgreSQL, leader elected through the lock file (FileLockClusterService, "
                + "acquire interval bse.leader.retry-millis = 2,000 ms, the default, times Camel's heartbeat multiplier 5: a leader "
                + "silent for 10 s is taken as gone, the file lock's lease); the leader killed with kill -9; the time from "
                + "the kill to the first request the other engine decides (sent every 20 ms). One fresh pair per round.\n\n");
        report.append("| rounds | p50 | max | min | lease (interval x multiplier) |\n|---:|---:|---:|---:|---:|\n");
        report.append(String.format(Locale.ROOT, "| %d | %.2f s | %.2f s | %.2f s | 10.00 s |%n%n", rounds, median,
                sorted.get(sorted.size() - 1), sorted.get(0)));
        report.append("Each round: ").append(failovers.stream().map(f -> String.format(Locale.ROOT, "%.2f", f)).toList()).append(" s\n");
        return report.toString();
    }

    private double round(int round) throws Exception {
        Path work = Files.createTempDirectory("bse-failover");
        String schema = "failover_bench_" + Long.toString(System.nanoTime(), 36);
        try (Connection sql = DriverManager.getConnection(URL, USER, PASSWORD); Statement create = sql.createStatement()) {
            create.execute("create schema " + schema);
        }
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        int portA = freePort();
        int portB = freePort();
        Process a = null;
        Process b = null;
        try {
            a = engine(work, "a", url, portA);
            awaitHolder(url, "engine-a");
            b = engine(work, "b", url, portB);
            awaitAnswering(portB);
            long killed = System.nanoTime();
            a.destroyForcibly();
            for (int i = 0; ; i++) {
                int status = post(portB, "kind: SetUserState\nmetadata: {requestId: failover-" + round + "-" + i
                        + "}\nspec: {user: u" + i + ", state: Active, role: viewer}\n");
                if (status == 202) {
                    return (System.nanoTime() - killed) / 1e9;
                }
                if (System.nanoTime() - killed > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("no decision within 60 s of the kill");
                }
                Thread.sleep(20);
            }
        } finally {
            for (Process process : new Process[] {a, b}) {
                if (process != null) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private int post(int port, String document) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/requests"))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(document)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private void awaitAnswering(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/matrix"))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (Exception e) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("engine on port " + port + " never answered");
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitHolder(String url, String holder) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            try (Connection sql = DriverManager.getConnection(url, USER, PASSWORD); Statement query = sql.createStatement();
                 ResultSet rows = query.executeQuery("select holder from leadership where id = 1")) {
                if (rows.next() && holder.equals(rows.getString(1))) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // not migrated yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(holder + " never led");
    }

    private static Process engine(Path work, String name, String url, int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.backupstate.app.Main")
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("engine-" + name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("BSE_DATABASE_URL", url);
        env.put("BSE_DATABASE_USER", USER);
        env.put("BSE_DATABASE_PASSWORD", PASSWORD);
        env.put("BSE_LEADER_FILE_ROOT", work.resolve("leader").toString());
        env.put("BSE_LEADER_MEMBER", "engine-" + name);
        env.put("BSE_LEADER_ADDRESS", "http://127.0.0.1:" + port);
        env.put("BSE_SCHEDULES_INSTANCE_ID", "engine-" + name);
        env.put("BSE_MODE", "Classic");
        env.put("BSE_SANDBOX_ENABLED", "false");
        env.put("BSE_DATA_DIRECTORY", work.resolve(name + "-data").toString());
        env.put("BSE_INBOX_DIRECTORY", work.resolve(name + "-inbox").toString());
        env.put("BSE_OUTBOX_DIRECTORY", work.resolve(name + "-outbox").toString());
        env.put("BSE_BROKER_LISTEN", "");
        env.put("CAMEL_SERVER_PORT", String.valueOf(port));
        env.put("CAMEL_MANAGEMENT_PORT", String.valueOf(freePort()));
        return builder.start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
