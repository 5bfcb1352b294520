package dev.backupstate.inbox;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.Connection;
import dev.backupstate.model.Eligible;
import dev.backupstate.model.Engine;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.rules.RuleBook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The location × cluster grid (issue 15), one page of clusters at a time: every location as a column,
 * each cluster of the page as a row, each cell its connection's state and cause and whether the rules
 * hold the cluster eligible for the location. Only the page is built and sent, so a fleet of 10,000
 * clusters costs what 50 rows cost plus a walk of the cluster names.
 */
public final class ConnectionGrid {

    public static final int MAX_ROWS = 200;

    private final Catalog catalog;
    private final RuleBook rules;
    private final Mode mode;

    public ConnectionGrid(Catalog catalog, RuleBook rules, Mode mode) {
        this.catalog = catalog;
        this.rules = rules;
        this.mode = mode;
    }

    /**
     * {@code name}: clusters whose name contains it; {@code clusterState}: in that state (the matrix's
     * name); {@code connectionState}: with at least one connection in it. Each may be null.
     */
    public Map<String, Object> page(String name, String clusterState, String connectionState, int offset, int limit) {
        List<Resource> locations = catalog.all(ResourceKind.BACKUP_LOCATION);
        Predicate<Resource> filter = resource -> true;
        if (name != null && !name.isBlank()) {
            String wanted = name.toLowerCase(Locale.ROOT);
            filter = filter.and(resource -> resource.name().contains(wanted));
        }
        if (clusterState != null && !clusterState.isBlank()) {
            String label = ListQuery.stateLabel(ResourceKind.CLUSTER, clusterState, "state");
            filter = filter.and(resource -> resource.stateLabel().equals(label));
        }
        if (connectionState != null && !connectionState.isBlank()) {
            String label = ListQuery.stateLabel(ResourceKind.CONNECTION, connectionState, "connection");
            Set<String> having = catalog.clustersWithConnection(dev.backupstate.model.Labelled.parse(
                    dev.backupstate.model.ConnectionState.class, label));
            filter = filter.and(resource -> having.contains(resource.name()));
        }
        List<Cluster> rows = new ArrayList<>(limit);
        int total = 0;
        for (Resource cluster : catalog.all(ResourceKind.CLUSTER)) {
            if (filter.test(cluster)) {
                if (total >= offset && rows.size() < limit) {
                    rows.add((Cluster) cluster);
                }
                total++;
            }
        }
        List<Object> facts = new ArrayList<>();
        facts.add(new Engine(mode));
        Map<String, List<Connection>> connections = new LinkedHashMap<>();
        for (Cluster cluster : rows) {
            List<Connection> ofCluster = catalog.connectionsOf(cluster.name());
            connections.put(cluster.name(), ofCluster);
            facts.add(cluster);
            facts.addAll(ofCluster);
        }
        Set<String> eligible = new HashSet<>();
        for (Eligible fact : rules.derive(facts, Eligible.class)) {
            eligible.add(fact.location() + ":" + fact.cluster());
        }
        List<Map<String, Object>> clusterRows = new ArrayList<>();
        for (Cluster cluster : rows) {
            Map<String, Object> cells = new LinkedHashMap<>();
            for (Connection connection : connections.get(cluster.name())) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("state", connection.stateLabel());
                if (connection.cause() != null) {
                    cell.put("cause", connection.cause());
                }
                cell.put("eligible", eligible.contains(connection.location() + ":" + cluster.name()));
                cells.put(connection.location(), cell);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", cluster.name());
            row.put("state", cluster.stateLabel());
            if (cluster.cause() != null) {
                row.put("cause", cluster.cause());
            }
            row.put("cells", cells);
            clusterRows.add(row);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("mode", mode.label());
        page.put("locations", locations.stream().map(l -> Map.of("name", l.name(), "state", l.stateLabel())).toList());
        page.put("clusters", clusterRows);
        page.put("total", total);
        page.put("offset", offset);
        page.put("limit", limit);
        return page;
    }
}
