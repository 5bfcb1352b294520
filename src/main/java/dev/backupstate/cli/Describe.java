package dev.backupstate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the CLI shows one resource and one decision, in the words the API and the audit use: a refusal
 * names its reason, its rule and the rules' message, the same on every surface.
 */
final class Describe {

    private Describe() {
    }

    static void print(String kind, Map<String, Object> described, Instant now, int width, PrintStream out) {
        JsonNode resource = (JsonNode) described.get("resource");
        List<String[]> fields = new ArrayList<>();
        resource.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() && !(field.getValue().isContainerNode() && field.getValue().isEmpty())) {
                fields.add(new String[] {title(field.getKey()) + ":", text(field.getValue())});
            }
        });
        fields.forEach(field -> out.printf("%-16s %s%n", field[0], field[1]));
        if (described.get("deletability") instanceof JsonNode deletable) {
            if (deletable.path("deletable").asBoolean()) {
                out.printf("%-16s %s%n", "Deletable now:", "yes, " + (deletable.has("cluster")
                        ? "by cluster " + deletable.path("cluster").asText() : "by the engine (Classic: it deletes the data itself)"));
            } else {
                out.printf("%-16s %s%n", "Deletable now:", "no: " + deletable.path("reason").asText() + " by rule \""
                        + deletable.path("rule").asText() + "\": " + deletable.path("message").asText());
            }
        }
        if (described.get("eligibility") instanceof JsonNode eligibility) {
            out.printf("%-16s %s%n", "Eligible:", eligibility.path("eligible").isEmpty() ? "(none)" : text(eligibility.path("eligible")));
            if (eligibility.has("note")) {
                out.printf("%-16s %s%n", "", eligibility.path("note").asText());
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  CLUSTER", "CLUSTER STATE", "CONNECTION", "ELIGIBLE", "CAUSE"});
            for (JsonNode row : eligibility.path("clusters")) {
                rows.add(new String[] {"  " + row.path("cluster").asText(), row.path("clusterState").asText(), row.path("connection").asText(),
                        row.path("eligible").asBoolean() ? "yes" : "no", row.path("cause").asText("")});
            }
            if (rows.size() > 1) {
                Table.print(rows, width, out);
            }
        }
        if (described.get("runs") instanceof JsonNode runs) {
            out.printf("%-16s %s%n", "Time zone:", runs.path("timeZone").asText());
            out.printf("%-16s %s%n", "Next runs:", runs.path("nextRuns").isEmpty() ? "(none) " + runs.path("note").asText("") : text(runs.path("nextRuns")));
            run(out, "Last run:", runs.path("lastRun"));
            run(out, "Last success:", runs.path("lastSuccess"));
        }
        JsonNode history = (JsonNode) described.get("history");
        if (history != null && history.size() > 0) {
            out.println("History:");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  AGE", "ACTOR", "EVENT", "RESULT", "RULE", "MESSAGE"});
            for (JsonNode entry : history) {
                rows.add(new String[] {"  " + Table.age(Instant.parse(entry.path("at").asText()), now), entry.path("actor").asText(),
                        entry.path("eventKind").asText(), entry.path("accepted").asBoolean() ? "accepted" : entry.path("reason").asText(),
                        entry.path("rule").asText(""), entry.path("message").asText("")});
            }
            Table.print(rows, width, out);
        }
    }

    private static void run(PrintStream out, String title, JsonNode run) {
        if (!run.isMissingNode()) {
            out.printf("%-16s %s %s at %s%s%n", title, run.path("backup").asText(), run.path("state").asText(), run.path("at").asText(),
                    run.has("cause") ? " (" + run.path("cause").asText() + ")" : "");
        }
    }

    static void dryRun(String subject, String operation, Api.Answer answer, PrintStream out) {
        JsonNode decision = answer.body();
        if (answer.status() != 200) {
            return;
        }
        out.println("dry run of " + operation + " " + subject + ": nothing was done");
        if (decision.path("accepted").asBoolean()) {
            out.println("  would be accepted: " + decision.path("message").asText());
        } else {
            out.println("  would be refused: " + decision.path("reason").asText() + " by rule \"" + decision.path("rule").asText()
                    + "\": " + decision.path("message").asText());
            for (JsonNode refusal : decision.path("refusals")) {
                if (refusal.path("rule").asText().equals(decision.path("rule").asText())) {
                    continue;
                }
                out.println("    also refused " + refusal.path("code").asText(refusal.path("reason").asText()) + " by \""
                        + refusal.path("rule").asText() + "\": " + refusal.path("message").asText());
            }
        }
        decision.path("transitions").forEach(t -> out.println("  transition " + t.asText()));
        decision.path("commands").forEach(c -> out.println("  command " + c.asText()));
        decision.path("notes").forEach(n -> out.println("  note " + n.asText()));
        out.println("  rules generation " + decision.path("generation").asText());
    }

    static void refused(String subject, String operation, String requestId, JsonNode outcome, PrintStream out) {
        out.println(operation + " " + subject + " refused (request " + requestId + "): " + outcome.path("reason").asText()
                + " by rule \"" + outcome.path("rule").asText() + "\"");
        out.println("  " + outcome.path("message").asText());
        for (JsonNode refusal : outcome.path("refusals")) {
            if (!refusal.path("rule").asText().equals(outcome.path("rule").asText())) {
                out.println("  also refused " + refusal.path("reason").asText() + " by \"" + refusal.path("rule").asText() + "\": "
                        + refusal.path("message").asText());
            }
        }
    }

    private static String title(String field) {
        StringBuilder title = new StringBuilder().append(Character.toUpperCase(field.charAt(0)));
        for (char c : field.substring(1).toCharArray()) {
            if (Character.isUpperCase(c)) {
                title.append(' ').append(Character.toLowerCase(c));
            } else {
                title.append(c);
            }
        }
        return title.toString();
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(part -> parts.add(part.isValueNode() ? part.asText() : part.toString()));
            return String.join(", ", parts);
        }
        if (value.isObject()) {
            List<String> parts = new ArrayList<>();
            value.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue())));
            return String.join(", ", parts);
        }
        return value.asText();
    }
}
