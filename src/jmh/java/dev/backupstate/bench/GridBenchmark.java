package dev.backupstate.bench;

import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.inbox.ConnectionGrid;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Mode;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.rules.RuleBook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The console's grid (issue 15: a page at 10,000 clusters x 100 locations in 200 ms or less): one page
 * of 50 clusters x 100 locations built as GET /api/v1/grid builds it (walk of the cluster names, the
 * page's connections, eligibility asked of the rules in force) and written as JSON, in the JVM. Baseline
 * in the same run: a page of 50 clusters of the plain list, written as JSON.
 */
final class GridBenchmark {

    private static final int LOCATIONS = 100;
    private static final int WARM_UP = 30;
    private static final int MEASURED = 100;

    private final int clusters;

    GridBenchmark(int clusters) {
        this.clusters = clusters;
    }

    String run() throws Exception {
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int l = 0; l < LOCATIONS; l++) {
            catalog.put(new BackupLocation("l" + l, BackupLocationState.VALID, LocationType.S3,
                    new BucketKey("http://s3.example", "fleet", "l" + l), "eu-1", "secret/s3", "admin", null));
        }
        for (int c = 0; c < clusters; c++) {
            boolean down = c % 10 == 9;
            String cluster = String.format("c%05d", c);
            catalog.put(new Cluster(cluster, down ? ClusterState.DISCONNECTED : ClusterState.ACTIVE, down ? "unreachable" : null,
                    true, null, "admin"));
            for (int l = 0; l < LOCATIONS; l++) {
                boolean invalid = down || (c + l) % 97 == 0;
                catalog.put(new Connection("l" + l, cluster, invalid ? ConnectionState.INVALID : ConnectionState.VALID,
                        invalid ? "access denied at step put" : null));
            }
        }
        try (RuleBook rules = RuleBook.load(Path.of("rules"))) {
            ConnectionGrid grid = new ConnectionGrid(catalog, rules, Mode.FEDERATED);
            StringBuilder report = new StringBuilder("### The console's grid (issue 15): " + String.format("%,d", clusters) + " clusters x "
                    + LOCATIONS + " locations (" + String.format("%,d", catalog.count(ResourceKind.CONNECTION)) + " connections)\n\n")
                    .append("A page of 50 clusters built as GET /api/v1/grid builds it and written as JSON, in the JVM; ")
                    .append(MEASURED).append(" pages each after ").append(WARM_UP).append(" to warm up.\n\n")
                    .append("| page | bytes | median | p95 | vs the list page |\n|---|---|---|---|---|\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(measure("a page of the plain cluster list, 50 (baseline)", () -> Json.toJson(
                    catalog.page(ResourceKind.CLUSTER, r -> true, "c05000", 50).items())));
            rows.add(measure("grid page 1 (offset 0)", () -> Json.toJson(grid.page(null, null, null, 0, 50))));
            rows.add(measure("grid page 101 (offset 5,000)", () -> Json.toJson(grid.page(null, null, null, 5000, 50))));
            rows.add(measure("grid, clusters named *c09* (offset 0)", () -> Json.toJson(grid.page("c09", null, null, 0, 50))));
            rows.add(measure("grid, clusters Disconnected (offset 500)", () -> Json.toJson(grid.page(null, "Disconnected", null, 500, 50))));
            rows.add(measure("grid, clusters with an Invalid connection, last page", () -> Json.toJson(
                    grid.page(null, null, "Invalid", clusters - 50, 50))));
            double baseline = Double.parseDouble(rows.get(0)[2]);
            for (String[] row : rows) {
                report.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ")
                        .append(String.format("%.2f ms", Double.parseDouble(row[2]))).append(" | ")
                        .append(String.format("%.2f ms", Double.parseDouble(row[3]))).append(" | ")
                        .append(String.format("%.0fx", Double.parseDouble(row[2]) / baseline)).append(" |\n");
            }
            return report.append('\n').toString();
        }
    }

    private static String[] measure(String name, Supplier<String> page) {
        int bytes = 0;
        for (int i = 0; i < WARM_UP; i++) {
            bytes = page.get().length();
        }
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < MEASURED; i++) {
            long started = System.nanoTime();
            page.get();
            nanos.add(System.nanoTime() - started);
        }
        nanos.sort(null);
        return new String[] {name, String.format("%,d", bytes), String.valueOf(nanos.get(nanos.size() / 2) / 1e6),
                String.valueOf(nanos.get(Math.min(nanos.size() - 1, nanos.size() * 95 / 100)) / 1e6)};
    }
}
