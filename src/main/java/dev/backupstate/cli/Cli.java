package dev.backupstate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.inbox.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's verbs over the REST API, in the habits of velero and kubectl (issue 14): {@code get},
 * {@code describe}, {@code backup create|delete}, {@code restore create}, {@code schedule
 * create|suspend|resume}, {@code location create|validate}, {@code sync trigger}, {@code cluster
 * add|remove} and {@code config}. Every write goes as an operation document, so the rules decide it as
 * any other; {@code --dry-run} shows their decision without acting, {@code --wait} follows the resource to
 * its end state. Exit codes: {@link Exit}.
 */
public final class Cli {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: bse get KIND [NAME] [-l SELECTOR] [--state S] [--location L] [--cluster C] [--owner U] [-o table|wide|json|yaml]",
            "         KIND: backups, clusters, locations, connections, schedules, restores, syncs, users",
            "       bse describe backup|location|schedule|cluster NAME",
            "       bse backup create NAME --cluster C --location L [--namespaces a,b] [--labels k=v,...] [--incremental-of B]",
            "       bse backup delete NAME [--force]",
            "       bse restore create NAME --from-backup B --cluster C [--replace-policy Retain|Delete]",
            "       bse schedule create NAME --cluster C --location L --policy P [--namespaces a,b] [--labels k=v,...] [--suspended]",
            "       bse schedule suspend|resume NAME | -l SELECTOR",
            "       bse location create NAME --endpoint URL --bucket B [--prefix P] [--region R] [--credentials REF] [--type S3|NFS]",
            "       bse location validate NAME",
            "       bse sync trigger LOCATION",
            "       bse location link LOCATION --cluster C   (Federated: validate the location on that cluster)",
            "       bse cluster add NAME --kubeconfig secret:NS/NAME | --kubeconfig-file PATH (read here, sent inline)",
            "       bse cluster remove NAME",
            "         writes take --dry-run (the rules' decision, nothing done), --wait [--timeout 5m] (until the end state),",
            "         --request-id ID (else one is made, printed, and reused if you run the same command again unanswered)",
            "       bse config set-context NAME [--server URL] [--token-stdin] | use-context NAME | get-contexts | current-context",
            "       every command takes --context NAME; BSE_SERVER and BSE_TOKEN override the config file (~/.bse/config)",
            "exit: 0 done, 1 refused (or ended failed), 2 usage or invalid, 3 engine unreachable, 4 not found, 5 wait timed out, 6 denied");

    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("backup", "backups"), Map.entry("backups", "backups"),
            Map.entry("cluster", "clusters"), Map.entry("clusters", "clusters"),
            Map.entry("location", "backup-locations"), Map.entry("locations", "backup-locations"),
            Map.entry("backup-location", "backup-locations"), Map.entry("backup-locations", "backup-locations"),
            Map.entry("bsl", "backup-locations"),
            Map.entry("connection", "connections"), Map.entry("connections", "connections"),
            Map.entry("schedule", "schedules"), Map.entry("schedules", "schedules"),
            Map.entry("restore", "restores"), Map.entry("restores", "restores"),
            Map.entry("sync", "syncs"), Map.entry("syncs", "syncs"),
            Map.entry("user", "users"), Map.entry("users", "users"));

    private static final Set<String> WRITE_FLAGS = Set.of("--context", "--request-id", "--timeout", "--output");
    private static final Set<String> WRITE_SWITCHES = Set.of("--dry-run", "--wait");

    private final Map<String, String> env;
    private final PrintStream out;
    private final BufferedReader in;
    private final Clock clock;

    public Cli(Map<String, String> env, PrintStream out, BufferedReader in, Clock clock) {
        this.env = env;
        this.out = TerminalSafe.wrap(out);
        this.in = in;
        this.clock = clock;
    }

    /** Runs one command; returns its exit code. */
    public int run(List<String> arguments) {
        try {
            if (arguments.isEmpty()) {
                throw new CliException(Exit.USAGE, USAGE);
            }
            String verb = arguments.get(0);
            List<String> rest = arguments.subList(1, arguments.size());
            switch (verb) {
                case "get" -> get(rest);
                case "describe" -> describe(rest);
                case "backup", "restore", "schedule", "location", "sync", "cluster" -> write(verb, rest);
                case "config" -> config(rest);
                default -> throw new CliException(Exit.USAGE, "unknown command '" + verb + "'\n" + USAGE);
            }
            return Exit.OK.code;
        } catch (CliException e) {
            if (!e.getMessage().isEmpty()) {
                out.println(e.getMessage());
            }
            return e.exit().code;
        }
    }

    private Api api(Args args) {
        Contexts contexts = new Contexts(env);
        return new Api(contexts.resolve(args.flag("--context")), contexts.file().toAbsolutePath().getParent().resolve("pending"));
    }

    private int width() {
        try {
            return Math.max(40, Integer.parseInt(env.getOrDefault("COLUMNS", "120")));
        } catch (NumberFormatException e) {
            return 120;
        }
    }

    // --- reading ----------------------------------------------------------------------------

    private void get(List<String> arguments) {
        Args args = Args.parse(arguments, Set.of("--context", "--selector", "--state", "--location", "--cluster", "--owner",
                "--output", "--limit"), Set.of());
        String kind = kind(args.word(0, "KIND"));
        String output = output(args.flag("--output"));
        Api api = api(args);
        if (args.words.size() > 1) {
            Api.Answer answer = api.get("/resources/" + kind + "/" + args.words.get(1));
            if (answer.status() != 200) {
                throw Api.failure(answer);
            }
            print(List.of(answer.body()), kind, output, false);
            return;
        }
        List<JsonNode> items = list(api, kind, Api.query("labelSelector", args.flag("--selector"), "state", args.flag("--state"),
                "location", args.flag("--location"), "cluster", args.flag("--cluster"), "owner", args.flag("--owner")),
                args.flag("--limit"));
        if (items.isEmpty() && output.startsWith("table") || items.isEmpty() && output.equals("wide")) {
            out.println("No " + kind + " found.");
            return;
        }
        print(items, kind, output, true);
    }

    /** Every page of a filtered list (or only the first {@code limit} items). */
    private static List<JsonNode> list(Api api, String kind, Map<String, String> filters, String limit) {
        List<JsonNode> items = new ArrayList<>();
        String next = null;
        do {
            Map<String, String> query = new LinkedHashMap<>(filters);
            query.put("limit", limit != null ? limit : "500");
            query.put("continue", next);
            Api.Answer page = api.get("/resources/" + kind, query);
            if (page.status() != 200) {
                throw Api.failure(page);
            }
            page.body().path("items").forEach(items::add);
            next = page.body().path("continue").asText(null);
        } while (next != null && limit == null);
        return items;
    }

    private void print(List<JsonNode> items, String kind, String output, boolean list) {
        try {
            switch (output) {
                case "json" -> out.println(Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(list ? items : items.get(0)));
                case "yaml" -> out.print(Json.yaml().writeValueAsString(list ? items : items.get(0)));
                default -> Table.print(Table.columns(kind, output.equals("wide")), items, clock.instant(), width(), out);
            }
        } catch (IOException e) {
            throw new CliException(Exit.USAGE, "cannot print: " + e.getMessage());
        }
    }

    private static String output(String output) {
        String chosen = output == null ? "table" : output;
        if (!Set.of("table", "wide", "json", "yaml").contains(chosen)) {
            throw new CliException(Exit.USAGE, "-o: '" + chosen + "' is not table, wide, json or yaml");
        }
        return chosen;
    }

    private static String kind(String word) {
        String kind = KINDS.get(word);
        if (kind == null) {
            throw new CliException(Exit.USAGE, "'" + word + "' is not a kind; expected backups, clusters, locations, connections, "
                    + "schedules, restores, syncs or users");
        }
        return kind;
    }

    private void describe(List<String> arguments) {
        Args args = Args.parse(arguments, Set.of("--context", "--output"), Set.of());
        String kind = kind(args.word(0, "KIND"));
        String name = args.word(1, "NAME");
        Api api = api(args);
        Api.Answer found = api.get("/resources/" + kind + "/" + name);
        if (found.status() != 200) {
            throw Api.failure(found);
        }
        JsonNode resource = found.body();
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("resource", resource);
        switch (kind) {
            case "backups" -> described.put("deletability", api.get("/resources/backups/" + name + "/deletability").body());
            case "backup-locations" -> described.put("eligibility", api.get("/resources/backup-locations/" + name + "/eligible-clusters").body());
            case "schedules" -> described.put("runs", api.get("/resources/schedules/" + name + "/runs").body());
            default -> { }
        }
        Api.Answer history = api.get("/audit", Api.query("resource", kind + "/" + name));
        described.put("history", history.status() == 200 ? history.body().path("items") : Json.json().createArrayNode());
        String output = args.flag("--output");
        if (output != null && !output.equals("table")) {
            try {
                out.println(output.equals("yaml") ? Json.yaml().writeValueAsString(described)
                        : Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(described));
            } catch (IOException e) {
                throw new CliException(Exit.USAGE, "cannot print: " + e.getMessage());
            }
            return;
        }
        Describe.print(kind, described, clock.instant(), width(), out);
    }

    // --- writing ----------------------------------------------------------------------------

    private void write(String noun, List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new CliException(Exit.USAGE, USAGE);
        }
        String verb = arguments.get(0);
        List<String> rest = arguments.subList(1, arguments.size());
        switch (noun + " " + verb) {
            case "backup create" -> {
                Args args = parse(rest, "--cluster", "--location", "--namespaces", "--labels", "--incremental-of");
                ObjectNode spec = spec("name", args.word(0, "NAME"), "cluster", args.required("--cluster"),
                        "location", args.required("--location"), "incrementalOf", args.flag("--incremental-of"));
                strings(spec, "namespaces", args.flag("--namespaces"));
                labels(spec, args.flag("--labels"));
                send(args, "CreateBackup", spec, new Wait("backups", spec.path("name").asText(), Set.of("Success", "Partial Success"),
                        Set.of("Failure", "Aborted"), false));
            }
            case "backup delete" -> {
                Args args = parse(rest, Set.of("--force"));
                String name = args.word(0, "NAME");
                ObjectNode spec = spec("backup", name);
                spec.put("force", args.on("--force"));
                send(args, "DeleteBackup", spec, new Wait("backups", name, Set.of(), Set.of(), true));
            }
            case "restore create" -> {
                Args args = parse(rest, "--from-backup", "--cluster", "--replace-policy");
                ObjectNode spec = spec("name", args.word(0, "NAME"), "backup", args.required("--from-backup"),
                        "cluster", args.required("--cluster"), "replacePolicy", args.flag("--replace-policy"));
                send(args, "CreateRestore", spec, new Wait("restores", spec.path("name").asText(), Set.of("Success", "Partial Success"),
                        Set.of("Failure", "Aborted"), false));
            }
            case "schedule create" -> {
                Args args = parse(rest, Set.of("--suspended"), "--cluster", "--location", "--policy", "--namespaces", "--labels");
                ObjectNode spec = spec("name", args.word(0, "NAME"), "cluster", args.required("--cluster"),
                        "location", args.required("--location"), "policy", args.required("--policy"));
                strings(spec, "namespaces", args.flag("--namespaces"));
                labels(spec, args.flag("--labels"));
                spec.put("suspended", args.on("--suspended"));
                send(args, "CreateSchedule", spec, new Wait("schedules", spec.path("name").asText(), Set.of("Active", "Suspended"), Set.of(), false));
            }
            case "schedule suspend", "schedule resume" -> scheduleState(verb, rest);
            case "location create" -> {
                Args args = parse(rest, "--endpoint", "--bucket", "--prefix", "--region", "--credentials", "--type");
                ObjectNode spec = spec("name", args.word(0, "NAME"), "type", args.flag("--type") == null ? "S3" : args.flag("--type"),
                        "endpoint", args.required("--endpoint"), "bucket", args.required("--bucket"), "prefix", args.flag("--prefix"),
                        "region", args.flag("--region"), "credentials", args.flag("--credentials"));
                send(args, "CreateBackupLocation", spec, new Wait("backup-locations", spec.path("name").asText(), Set.of("Valid"),
                        Set.of("Invalid"), false));
            }
            case "location validate" -> {
                Args args = parse(rest);
                String name = args.word(0, "NAME");
                send(args, "ValidateBackupLocation", spec("name", name), new Wait("backup-locations", name, Set.of("Valid"), Set.of("Invalid"), false));
            }
            case "sync trigger" -> {
                Args args = parse(rest);
                String location = args.word(0, "LOCATION");
                send(args, "TriggerSync", spec("location", location), new Wait("syncs", location, Set.of("Completed"), Set.of("Failed"), false));
            }
            case "cluster add" -> {
                Args args = parse(rest, "--kubeconfig", "--kubeconfig-file");
                String name = args.word(0, "NAME");
                send(args, "AddCluster", spec("name", name, "kubeconfig", kubeconfig(args)),
                        new Wait("clusters", name, Set.of("Active"), Set.of("Disconnected", "Not Available"), false));
            }
            case "location link" -> {
                Args args = parse(rest, "--cluster");
                String location = args.word(0, "LOCATION");
                String cluster = args.required("--cluster");
                send(args, "LinkClusterToLocation", spec("location", location, "cluster", cluster),
                        new Wait("connections", location + ":" + cluster, Set.of("Valid"), Set.of("Invalid"), false));
            }
            case "cluster remove" -> {
                Args args = parse(rest);
                String name = args.word(0, "NAME");
                send(args, "RemoveCluster", spec("name", name), new Wait("clusters", name, Set.of(), Set.of(), true));
            }
            default -> throw new CliException(Exit.USAGE, "unknown command 'bse " + noun + " " + verb + "'\n" + USAGE);
        }
    }

    /**
     * --kubeconfig names a reference the engine resolves (secret:NS/NAME, file: under its directory);
     * --kubeconfig-file is read here, on the operator's machine, and sent inline.
     */
    private static String kubeconfig(Args args) {
        String reference = args.flag("--kubeconfig");
        String file = args.flag("--kubeconfig-file");
        if ((reference == null) == (file == null)) {
            throw new CliException(Exit.USAGE, "give --kubeconfig secret:NS/NAME (or file:PATH on the engine) or --kubeconfig-file PATH, one of them");
        }
        if (reference != null) {
            return reference;
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("bse.cwd", ".")).resolve(file));
        } catch (IOException e) {
            throw new CliException(Exit.USAGE, "--kubeconfig-file: " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static Args parse(List<String> arguments, String... valued) {
        return parse(arguments, Set.of(), valued);
    }

    private static Args parse(List<String> arguments, Set<String> switches, String... valued) {
        Set<String> flags = new java.util.HashSet<>(WRITE_FLAGS);
        flags.addAll(List.of(valued));
        Set<String> all = new java.util.HashSet<>(WRITE_SWITCHES);
        all.addAll(switches);
        return Args.parse(arguments, flags, all);
    }

    /** suspend or resume one schedule, or every schedule a selector picks (each its own request). */
    private void scheduleState(String verb, List<String> rest) {
        Args args = Args.parse(rest, Set.of("--context", "--selector", "--timeout", "--output", "--request-id"), WRITE_SWITCHES);
        String kind = verb.equals("suspend") ? "SuspendSchedule" : "ResumeSchedule";
        String end = verb.equals("suspend") ? "Suspended" : "Active";
        if (args.flag("--selector") == null) {
            String name = args.word(0, "NAME or -l SELECTOR");
            send(args, kind, spec("name", name), new Wait("schedules", name, Set.of(end), Set.of(), false));
            return;
        }
        if (!args.words.isEmpty() || args.flag("--request-id") != null) {
            throw new CliException(Exit.USAGE, "give NAME or -l SELECTOR, not both (and no --request-id with a selector: each schedule gets its own)");
        }
        Api api = api(args);
        List<JsonNode> schedules = list(api, "schedules", Api.query("labelSelector", args.flag("--selector")), null);
        if (schedules.isEmpty()) {
            out.println("no schedules match " + args.flag("--selector"));
            return;
        }
        Exit worst = Exit.OK;
        for (JsonNode schedule : schedules) {
            try {
                send(api, args, kind, spec("name", schedule.path("name").asText()),
                        new Wait("schedules", schedule.path("name").asText(), Set.of(end), Set.of(), false));
            } catch (CliException e) {
                if (!e.getMessage().isEmpty()) {
                    out.println(e.getMessage());
                }
                worst = e.exit().code > worst.code ? e.exit() : worst;
            }
        }
        out.println(schedules.size() + " schedules matched " + args.flag("--selector"));
        if (worst != Exit.OK) {
            throw new CliException(worst, "not every schedule was " + (verb.equals("suspend") ? "suspended" : "resumed"));
        }
    }

    /** What --wait waits for: the resource in one of the {@code done} states (or gone), or one of the {@code failed}. */
    record Wait(String kind, String name, Set<String> done, Set<String> failed, boolean gone) {
    }

    private void send(Args args, String operation, ObjectNode spec, Wait wait) {
        send(api(args), args, operation, spec, wait);
    }

    private void send(Api api, Args args, String operation, ObjectNode spec, Wait wait) {
        // every flag is checked before anything is sent: a bad --timeout must not leave a request sent and unwaited
        Duration timeout = timeout(args.flag("--timeout"));
        boolean dryRun = args.on("--dry-run");
        ObjectNode document = Json.json().createObjectNode();
        document.put("apiVersion", "backupstate.dev/v1");
        document.put("kind", operation);
        document.set("spec", spec);
        String unnamed;
        try {
            unnamed = Json.yaml().writeValueAsString(document);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String requestId = args.flag("--request-id") != null ? args.flag("--request-id") : dryRun ? null : api.requestId(unnamed);
        ObjectNode metadata = Json.json().createObjectNode();
        if (requestId != null) {
            metadata.put("requestId", requestId);
        }
        ObjectNode sent = Json.json().createObjectNode();
        sent.put("apiVersion", "backupstate.dev/v1");
        sent.put("kind", operation);
        sent.set("metadata", metadata);
        sent.set("spec", spec);
        Api.Answer answer;
        try {
            answer = api.submit(Json.yaml().writeValueAsString(sent), dryRun);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (answer.status() != 503 && answer.status() < 500) {
            api.answered(unnamed);
        }
        String subject = wait.kind() + "/" + wait.name();
        // which engine acted is said every time: a context and an environment can point at different ones
        out.println("engine: " + api.server());
        if (dryRun) {
            Describe.dryRun(subject, operation, answer, out);
            if (answer.status() != 200) {
                throw Api.failure(answer);
            }
            if (!answer.body().path("accepted").asBoolean()) {
                throw new CliException(Exit.REFUSED, "");
            }
            return;
        }
        if (answer.status() != 202) {
            if (answer.status() == 409 || answer.body().has("accepted")) {
                Describe.refused(subject, operation, requestId, answer.body(), out);
                throw new CliException(Exit.REFUSED, "");
            }
            throw Api.failure(answer);
        }
        out.println(operation + " " + subject + " accepted (request " + requestId + "): " + answer.body().path("message").asText());
        if (args.on("--wait")) {
            waitFor(api, wait, timeout);
        }
    }

    private void waitFor(Api api, Wait wait, Duration timeout) {
        Instant until = clock.instant().plus(timeout);
        String last = null;
        while (true) {
            Api.Answer answer = api.get("/resources/" + wait.kind() + "/" + wait.name());
            if (answer.status() == 404 && wait.gone()) {
                out.println(wait.kind() + "/" + wait.name() + ": gone");
                return;
            }
            if (answer.status() == 200) {
                String state = answer.body().path("state").asText();
                if (!state.equals(last)) {
                    out.println(wait.kind() + "/" + wait.name() + ": " + state
                            + (answer.body().hasNonNull("cause") ? " (" + answer.body().path("cause").asText() + ")" : ""));
                    last = state;
                }
                if (wait.done().contains(state)) {
                    return;
                }
                if (wait.failed().contains(state)) {
                    throw new CliException(Exit.REFUSED, wait.kind() + "/" + wait.name() + " ended " + state);
                }
            } else if (answer.status() != 404) {
                throw Api.failure(answer);
            }
            if (clock.instant().isAfter(until)) {
                throw new CliException(Exit.TIMED_OUT, "gave up waiting after " + timeout.toSeconds() + " s: "
                        + wait.kind() + "/" + wait.name() + " is " + (last == null ? "not there" : last));
            }
            try {
                // the CLI polls the API as kubectl wait does; the engine is not asked to push
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(Exit.TIMED_OUT, "interrupted");
            }
        }
    }

    static Duration timeout(String text) {
        if (text == null) {
            return Duration.ofMinutes(5);
        }
        java.util.regex.Matcher match = java.util.regex.Pattern.compile("([0-9]{1,6})(s|m|h)").matcher(text);
        if (!match.matches()) {
            throw new CliException(Exit.USAGE, "--timeout: '" + text + "' is not a span such as 90s, 5m or 1h");
        }
        long amount = Long.parseLong(match.group(1));
        return switch (match.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static ObjectNode spec(String... pairs) {
        ObjectNode spec = Json.json().createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                spec.put(pairs[i], pairs[i + 1]);
            }
        }
        return spec;
    }

    private static void strings(ObjectNode spec, String field, String commaSeparated) {
        if (commaSeparated != null) {
            ArrayNode values = spec.putArray(field);
            for (String value : commaSeparated.split(",")) {
                if (!value.isBlank()) {
                    values.add(value.trim());
                }
            }
        }
    }

    private static void labels(ObjectNode spec, String text) {
        if (text == null) {
            return;
        }
        ObjectNode labels = spec.putObject("labels");
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new CliException(Exit.USAGE, "--labels: '" + pair + "' is not key=value");
            }
            labels.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
    }

    // --- contexts ---------------------------------------------------------------------------

    private void config(List<String> arguments) {
        Args args = Args.parse(arguments, Set.of("--server"), Set.of("--token-stdin"));
        Contexts contexts = new Contexts(env);
        String verb = args.word(0, "set-context, use-context, get-contexts or current-context");
        switch (verb) {
            case "set-context" -> {
                String name = args.word(1, "NAME");
                String token = null;
                if (args.on("--token-stdin")) {
                    try {
                        token = in.readLine();
                    } catch (IOException e) {
                        throw new CliException(Exit.USAGE, "cannot read the token from standard input: " + e.getMessage());
                    }
                    if (token == null || token.isBlank()) {
                        throw new CliException(Exit.USAGE, "--token-stdin: no token on standard input");
                    }
                    token = token.trim();
                }
                contexts.set(name, args.flag("--server"), token);
                out.println("context " + name + " set in " + contexts.file() + (token == null ? "" : " (token stored, not shown)"));
            }
            case "use-context" -> {
                contexts.use(args.word(1, "NAME"));
                out.println("current context: " + args.words.get(1));
            }
            case "get-contexts" -> {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"CURRENT", "NAME", "SERVER", "TOKEN"});
                contexts.list().forEach(row -> rows.add(new String[] {row.get("current"), row.get("name"), row.get("server"), row.get("token")}));
                Table.print(rows, width(), out);
            }
            case "current-context" -> out.println(contexts.list().stream().filter(row -> row.get("current").equals("*"))
                    .map(row -> row.get("name")).findFirst().orElseThrow(() -> new CliException(Exit.NOT_FOUND, "no current context")));
            default -> throw new CliException(Exit.USAGE, "unknown command 'bse config " + verb + "'");
        }
    }

    public static String usage() {
        return USAGE;
    }

    /** Standard input, where --token-stdin reads the token. */
    public static BufferedReader stdin() {
        return new BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Path defaultConfig(Map<String, String> env) {
        return new Contexts(env).file();
    }
}
