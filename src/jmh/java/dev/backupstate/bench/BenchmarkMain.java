package dev.backupstate.bench;

import dev.backupstate.rules.ReloadReport;
import dev.backupstate.rules.RuleBook;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and writes their figures as markdown (target/benchmarks.md, and stdout). Issue 2:
 * heap after loading each fleet size, rule compile and swap time, and through JMH the decisions per
 * second and p50/p99 latency of each decision next to the plain-Java floor measured in the same run.
 *
 * <p>Arguments: {@code --suite all|decisions|service|probes|sync|documents|listing|grid|follow}; for decisions {@code --clusters 100,1000,10000}
 * {@code --seconds 3} (per measurement iteration); for the service (issue 3, {@link ServiceBenchmark})
 * {@code --requests 5000 --files 2000 --clients 8}; for cluster probes (issue 4, {@link ProbeBenchmark})
 * {@code --probe-clusters 1000 --probe-servers 10 --probe-threads 16,64 --rounds 5}; for the Classic sync
 * (issue 5, {@link SyncBenchmark}) {@code --sync-backups 10000,100000}; {@code --suite failover --rounds 10}
 * (issue 12, {@link FailoverBenchmark}, PostgreSQL).
 */
public final class BenchmarkMain {

    private static final int THREADS = 2;

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String suite = options.getOrDefault("suite", "all");
        StringBuilder report = new StringBuilder();
        if (suite.equals("all") || suite.equals("decisions")) {
            String[] sizes = options.getOrDefault("clusters", "100,1000,10000").split(",");
            int seconds = Integer.parseInt(options.getOrDefault("seconds", "3"));
            report.append("## Decision core (issue 2)\n\n").append(machine()).append('\n');
            report.append(reload()).append('\n');
            report.append(heap(sizes)).append('\n');
            report.append(decisions(sizes, seconds)).append('\n');
        }
        if (suite.equals("all") || suite.equals("service")) {
            report.append(machine()).append('\n').append(new ServiceBenchmark(
                    Integer.parseInt(options.getOrDefault("requests", "5000")),
                    Integer.parseInt(options.getOrDefault("files", "2000")),
                    Integer.parseInt(options.getOrDefault("clients", "8"))).run());
        }
        if (suite.equals("all") || suite.equals("probes")) {
            int[] threads = Arrays.stream(options.getOrDefault("probe-threads", "16,64").split(",")).mapToInt(Integer::parseInt).toArray();
            report.append(machine()).append('\n').append(new ProbeBenchmark(
                    Integer.parseInt(options.getOrDefault("probe-clusters", "1000")),
                    Integer.parseInt(options.getOrDefault("probe-servers", "10")), threads,
                    Integer.parseInt(options.getOrDefault("rounds", "5"))).run());
        }
        if (suite.equals("all") || suite.equals("sync")) {
            int[] sizes = Arrays.stream(options.getOrDefault("sync-backups", "10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
            report.append(machine()).append('\n').append(new SyncBenchmark(sizes).run());
        }
        if (suite.equals("failover")) {
            // on demand only (PostgreSQL, two engine processes per round): not part of "all"
            report.append(machine()).append('\n').append(new FailoverBenchmark(
                    Integer.parseInt(options.getOrDefault("rounds", "10"))).run());
        }
        if (suite.equals("all") || suite.equals("listing")) {
            report.append(machine()).append('\n').append(new ListingBenchmark(
                    Integer.parseInt(options.getOrDefault("listing-backups", "100000"))).run());
        }
        if (suite.equals("all") || suite.equals("grid")) {
            report.append(machine()).append('\n').append(new GridBenchmark(
                    Integer.parseInt(options.getOrDefault("grid-clusters", "10000"))).run());
        }
        if (suite.equals("all") || suite.equals("follow")) {
            report.append(machine()).append('\n').append(new FollowBenchmark(
                    Integer.parseInt(options.getOrDefault("follow-clusters", "10")),
                    Integer.parseInt(options.getOrDefault("follow-backups", "1000")),
                    Duration.ofMillis(Long.parseLong(options.getOrDefault("follow-period-millis", "2000"))),
                    Integer.parseInt(options.getOrDefault("follow-changes", "20"))).run());
        }
        if (suite.equals("all") || suite.equals("documents")) {
            report.append(machine()).append('\n').append(documents(Integer.parseInt(options.getOrDefault("seconds", "3"))));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/benchmarks.md"), report);
        System.out.println(report);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].startsWith("--")) {
                options.put(args[i].substring(2), args[i + 1]);
            }
        }
        return options;
    }

    private static String machine() throws IOException {
        String cpu = "unknown CPU";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse(cpu);
            }
        }
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + ".\n";
    }

    /** Compile and swap of the whole rules/ folder: the first compile in a fresh JVM, then edits. */
    private static String reload() throws IOException {
        Path copy = Files.createTempDirectory("bench-rules");
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path drl : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(drl, copy.resolve(drl.getFileName()));
            }
        }
        long started = System.nanoTime();
        RuleBook book = RuleBook.load(copy);
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        List<Long> compile = new ArrayList<>();
        List<Long> swap = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        Path edited = copy.resolve("backups.drl");
        String original = Files.readString(edited);
        for (int i = 0; i < 15; i++) {
            Files.writeString(edited, original + "\n// edit " + i + "\n");
            long reloadStarted = System.nanoTime();
            ReloadReport report = book.reload();
            total.add((System.nanoTime() - reloadStarted) / 1_000_000);
            compile.add(report.compileMillis());
            swap.add(report.swapMicros());
        }
        int rules = book.ruleNames().size();
        book.close();
        return "### Rule base compile and swap (" + rules + " rules in "
                + fileCount(copy) + " files)\n\n"
                + "| what | median | max |\n|---|---|---|\n"
                + "| first load in a fresh JVM (read, compile, swap) | " + firstMillis + " ms | |\n"
                + "| reload after an edit (read, compile, swap), 15 edits | " + median(total) + " ms | " + max(total) + " ms |\n"
                + "| of which compile | " + median(compile) + " ms | " + max(compile) + " ms |\n"
                + "| of which swap | " + median(swap) + " us | " + max(swap) + " us |\n";
    }

    private static long fileCount(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".drl")).count();
        }
    }

    /** Heap used after loading each fleet and the rules, after full collections. */
    private static String heap(String[] sizes) {
        StringBuilder table = new StringBuilder("### Heap after loading\n\n"
                + "| clusters | connections | backups | heap used after GC |\n|---|---|---|---|\n");
        for (String size : sizes) {
            long before = usedAfterGc();
            int clusters = Integer.parseInt(size.trim());
            BenchFleet fleet = new BenchFleet(clusters);
            RuleBook rules = RuleBook.load(Path.of("rules"));
            long after = usedAfterGc();
            table.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d MiB |%n", clusters,
                    (long) clusters * (BenchFleet.LOCATIONS + 1), (long) clusters * BenchFleet.BACKUPS_PER_CLUSTER,
                    (after - before) / (1024 * 1024)));
            rules.close();
            if (fleet.catalog == null) {
                throw new IllegalStateException("keeps the fleet reachable until measured");
            }
        }
        return table.toString();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String decisions(String[] sizes, int seconds) throws RunnerException {
        Collection<RunResult> throughput = run(Mode.Throughput, TimeUnit.SECONDS, sizes, seconds);
        Collection<RunResult> latency = run(Mode.SampleTime, TimeUnit.MICROSECONDS, sizes, seconds);
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (RunResult result : throughput) {
            figures.computeIfAbsent(key(result), k -> new double[3])[0] = result.getPrimaryResult().getScore();
        }
        for (RunResult result : latency) {
            double[] values = figures.computeIfAbsent(key(result), k -> new double[3]);
            values[1] = result.getPrimaryResult().getStatistics().getPercentile(50);
            values[2] = result.getPrimaryResult().getStatistics().getPercentile(99);
        }
        StringBuilder table = new StringBuilder("### Decisions (load facts + evaluate), " + THREADS
                + " threads\n\n| decision | clusters | decisions/s | p50 | p99 | rules / plain Java (p50) | plain / rules (decisions/s) |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> row : figures.entrySet()) {
            String[] parts = row.getKey().split("@");
            if (parts[0].startsWith("plain")) {
                continue;
            }
            double[] rules = row.getValue();
            String plainKey = "plain" + Character.toUpperCase(parts[0].charAt(0)) + parts[0].substring(1) + "@" + parts[1];
            double[] plain = figures.get(plainKey);
            table.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.1f us | %.1f us | %s | %s |%n", parts[0],
                    Integer.parseInt(parts[1]), rules[0], rules[1], rules[2],
                    plain == null ? "" : String.format(Locale.ROOT, "%.2fx", rules[1] / plain[1]),
                    plain == null ? "" : String.format(Locale.ROOT, "%.2fx", plain[0] / rules[0])));
        }
        table.append("\nPlain-Java floor (same facts, same Decision built):\n\n"
                + "| decision | clusters | decisions/s | p50 | p99 |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> row : figures.entrySet()) {
            String[] parts = row.getKey().split("@");
            if (parts[0].startsWith("plain")) {
                double[] plain = row.getValue();
                table.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.1f us | %.1f us |%n", parts[0],
                        Integer.parseInt(parts[1]), plain[0], plain[1], plain[2]));
            }
        }
        return table.toString();
    }

    /** Issue 10: a document read strictly, as every inbox does, next to the lenient read it replaced. */
    private static String documents(int seconds) throws RunnerException {
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (Mode mode : List.of(Mode.Throughput, Mode.SampleTime)) {
            for (RunResult result : new Runner(new OptionsBuilder().include(DocumentBenchmark.class.getName())
                    .mode(mode).timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
                    .threads(1).forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(seconds))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(seconds))
                    .jvmArgs("-Xmx1g", "-XX:+UseG1GC").shouldFailOnError(true).build()).run()) {
                String label = result.getParams().getBenchmark();
                double[] values = figures.computeIfAbsent(label.substring(label.lastIndexOf('.') + 1) + "@"
                        + result.getParams().getParam("format"), k -> new double[3]);
                if (mode == Mode.Throughput) {
                    values[0] = result.getPrimaryResult().getScore();
                } else {
                    values[1] = result.getPrimaryResult().getStatistics().getPercentile(50);
                    values[2] = result.getPrimaryResult().getStatistics().getPercentile(99);
                }
            }
        }
        StringBuilder table = new StringBuilder("### Reading one document (1 thread)\n\n"
                + "| format | read | documents/s | p50 | p99 | strict / lenient (p50) |\n|---|---|---:|---:|---:|---:|\n");
        for (String format : List.of("yaml", "json")) {
            double[] lenient = figures.get("lenient@" + format);
            for (String read : List.of("lenient", "strict")) {
                double[] values = figures.get(read + "@" + format);
                table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f us | %.1f us | %.2fx |%n", format, read,
                        values[0], values[1], values[2], values[1] / lenient[1]));
            }
        }
        return table.toString();
    }

    private static String key(RunResult result) {
        String label = result.getParams().getBenchmark();
        return label.substring(label.lastIndexOf('.') + 1) + "@" + result.getParams().getParam("clusters");
    }

    private static Collection<RunResult> run(Mode mode, TimeUnit unit, String[] sizes, int seconds)
            throws RunnerException {
        return new Runner(new OptionsBuilder()
                .include(DecisionBenchmark.class.getName())
                .param("clusters", Arrays.stream(sizes).map(String::trim).toArray(String[]::new))
                .mode(mode)
                .timeUnit(unit)
                .threads(THREADS)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(seconds))
                .jvmArgs("-Xmx3g", "-XX:+UseG1GC")
                .shouldFailOnError(true)
                .build()).run();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
