package dev.backupstate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kubectl's tables: upper-case headers, columns two spaces apart, and no line wider than the terminal
 * (COLUMNS, else 120): the last columns give way first and show a cut with '~'. The columns of each
 * kind are its most asked-for fields; {@code -o wide} adds the rest that fit on a line.
 */
public final class Table {

    /** A column: header, and the field (a JSON pointer, or "age:" and one) it shows. */
    public record Column(String header, String field) {
    }

    private static final Map<String, List<Column>> COLUMNS = Map.of(
            "backups", List.of(c("NAME", "/name"), c("STATE", "/state"), c("CLUSTER", "/cluster"), c("LOCATION", "/location"),
                    c("OWNER", "/owner"), c("AGE", "age:/created")),
            "clusters", List.of(c("NAME", "/name"), c("STATE", "/state"), c("CAUSE", "/cause")),
            "backup-locations", List.of(c("NAME", "/name"), c("STATE", "/state"), c("TYPE", "/type"), c("BUCKET", "/bucket/bucket"),
                    c("PREFIX", "/bucket/prefix")),
            "connections", List.of(c("LOCATION", "/location"), c("CLUSTER", "/cluster"), c("STATE", "/state"), c("CAUSE", "/cause")),
            "schedules", List.of(c("NAME", "/name"), c("STATE", "/state"), c("CLUSTER", "/cluster"), c("LOCATION", "/location"),
                    c("POLICY", "/policy")),
            "restores", List.of(c("NAME", "/name"), c("STATE", "/state"), c("BACKUP", "/backup"), c("CLUSTER", "/cluster")),
            "syncs", List.of(c("LOCATION", "/location"), c("STATE", "/state"), c("CLUSTER", "/cluster"), c("CAUSE", "/cause")),
            "users", List.of(c("NAME", "/name"), c("STATE", "/state"), c("ROLE", "/role")));

    private static final Map<String, List<Column>> WIDE = Map.of(
            "backups", List.of(c("SCHEDULE", "/schedule"), c("LABELS", "labels:/labels"), c("CAUSE", "/cause")),
            "clusters", List.of(c("MANAGED", "/managed"), c("DISCOVERY", "/discoveryConfig"), c("OWNER", "/owner")),
            "backup-locations", List.of(c("ENDPOINT", "/bucket/endpoint"), c("OWNER", "/owner"), c("CAUSE", "/cause")),
            "schedules", List.of(c("LABELS", "labels:/labels"), c("OWNER", "/owner"), c("NAMESPACES", "/namespaces")),
            "restores", List.of(c("OWNER", "/owner"), c("CAUSE", "/cause")),
            "users", List.of(c("ADMIN", "/admin")));

    private Table() {
    }

    private static Column c(String header, String field) {
        return new Column(header, field);
    }

    public static List<Column> columns(String kind, boolean wide) {
        List<Column> columns = new ArrayList<>(COLUMNS.getOrDefault(kind, List.of(c("NAME", "/name"), c("STATE", "/state"))));
        if (wide) {
            columns.addAll(WIDE.getOrDefault(kind, List.of()));
        }
        return columns;
    }

    public static void print(List<Column> columns, List<JsonNode> items, Instant now, int width, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (JsonNode item : items) {
            rows.add(columns.stream().map(column -> cell(item, column.field(), now)).toArray(String[]::new));
        }
        print(rows, width, out);
    }

    /** Rows of plain cells, the first the headers. */
    public static void print(List<String[]> rows, int width, PrintStream out) {
        if (rows.isEmpty()) {
            return;
        }
        int count = rows.get(0).length;
        int[] widths = new int[count];
        for (String[] row : rows) {
            for (int i = 0; i < count; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        // the last columns give way first (the first ones name the resource), each down to its header or 6
        for (int i = count - 1; i > 0 && total(widths) > width; i--) {
            int floor = Math.max(6, rows.get(0)[i].length());
            if (widths[i] > floor) {
                widths[i] = Math.max(floor, widths[i] - (total(widths) - width));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String cell = row[i].length() > widths[i] ? row[i].substring(0, widths[i] - 1) + "~" : row[i];
                line.append(cell);
                if (i < count - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static int total(int[] widths) {
        int sum = 0;
        for (int width : widths) {
            sum += width + 2;
        }
        return sum - 2;
    }

    static String cell(JsonNode item, String field, Instant now) {
        if (field.startsWith("age:")) {
            JsonNode at = item.at(field.substring(4));
            return at.isTextual() ? age(Instant.parse(at.asText()), now) : "";
        }
        if (field.startsWith("labels:")) {
            List<String> labels = new ArrayList<>();
            item.at(field.substring(7)).fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
            return String.join(",", labels);
        }
        JsonNode value = item.at(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(part -> parts.add(part.asText()));
            return String.join(",", parts);
        }
        return value.asText().replace('\n', ' ');
    }

    /** kubectl's ages: 45s, 12m, 5h, 3d. */
    static String age(Instant then, Instant now) {
        Duration age = Duration.between(then, now);
        if (age.isNegative()) {
            return "0s";
        }
        if (age.toMinutes() < 2) {
            return age.toSeconds() + "s";
        }
        if (age.toHours() < 2) {
            return age.toMinutes() + "m";
        }
        if (age.toDays() < 2) {
            return age.toHours() + "h";
        }
        return age.toDays() + "d";
    }
}
