package dev.backupstate.app;

import dev.backupstate.rules.RuleBook;
import dev.backupstate.rules.RuleCompilationException;
import dev.backupstate.rules.RuleProblem;
import dev.backupstate.scenarios.Scenario;
import dev.backupstate.scenarios.ScenarioFiles;
import dev.backupstate.scenarios.ScenarioResult;
import dev.backupstate.scenarios.ScenarioRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The command line for operators: {@code bse run} runs the engine; {@code bse rules test [DIR]} runs every scenario of DIR/scenarios
 * against the rules of DIR (default rules/) and prints pass or fail per scenario with the difference;
 * {@code bse rules check [DIR]} only compiles the rules. Exit status 0 when all is well.
 */
public final class Bse {

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: bse run                 run the engine (config/application.properties; embedded defaults)",
            "       bse rules test [DIR] [--require-coverage]",
            "                               run DIR/scenarios/*.yaml against the rules in DIR (default: rules), list the",
            "                               rules no scenario fires (and fail on them with --require-coverage)",
            "       bse rules check [DIR]   compile the rules in DIR and list them with file and line",
            "       bse rules status [--context NAME]",
            "                               the rules in force on the running engine, each with file and line (the",
            "                               context's engine and token, or BSE_SERVER and BSE_TOKEN)",
            "       bse config check        the engine's settings as it would start with them (secrets masked) and where each",
            "                               came from; refuses a key or BSE_* variable that is not a setting",
            "       bse rules replay DIR [--since T] [--kind K]",
            "                               decide the recorded decisions again with the rules of DIR (the database of",
            "                               config/application.properties, engine running or stopped); print what changes",
            "       bse check-location --endpoint URL --bucket B [--prefix P] [--region R]",
            "                               check a bucket with this host's own identity (the engine's check Job)",
            "       bse request [--dry-run] [--context NAME] FILE...",
            "                               send documents to the running engine's REST inbox (the context's, or BSE_SERVER",
            "                               and BSE_TOKEN) and print each outcome; --dry-run: the whole decision,",
            "                               nothing committed",
            "       bse send FILE...        put documents on the running engine's broker queue as BSE_USER (password:",
            "                               the user's API token, BSE_TOKEN); print each outcome",
            "       bse get|describe|backup|restore|schedule|location|sync|cluster|config ...",
            "                               the operator's verbs over the REST API: `bse help` lists them");

    private static final java.util.Set<String> VERBS = java.util.Set.of("get", "describe", "backup", "restore", "schedule",
            "location", "sync", "cluster", "config");

    private Bse() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("run")) {
            System.exit(Main.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 2 && args[0].equals("config") && args[1].equals("check")) {
            return configCheck(Path.of(System.getProperty("bse.config", "config/application.properties")), System.getenv(), out);
        }
        if (args.length >= 1 && VERBS.contains(args[0])) {
            return new dev.backupstate.cli.Cli(System.getenv(), out, dev.backupstate.cli.Cli.stdin(), Clock.systemUTC())
                    .run(java.util.List.of(args));
        }
        if (args.length == 1 && (args[0].equals("help") || args[0].equals("--help"))) {
            out.println(USAGE);
            out.println(dev.backupstate.cli.Cli.usage());
            return 0;
        }
        if (args.length >= 1 && args[0].equals("check-location")) {
            return CheckLocation.run(args, System.getenv(), out);
        }
        if (args.length >= 2 && args[0].equals("send")) {
            Path cwd = Path.of(System.getProperty("bse.cwd", "."));
            return SendToBroker.send(Settings.load(Path.of(System.getProperty("bse.config", "config/application.properties")),
                    java.util.Map.of()), System.getenv("BSE_USER"), System.getenv("BSE_TOKEN"),
                    cwd, java.util.Arrays.asList(args).subList(1, args.length), out);
        }
        if (args.length >= 1 && args[0].equals("request")) {
            return request(java.util.Arrays.asList(args).subList(1, args.length), System.getenv(), out);
        }
        if (args.length >= 2 && args[0].equals("rules") && args[1].equals("replay")) {
            return ReplayCommand.run(args, Path.of(System.getProperty("bse.cwd", ".")),
                    Settings.load(Path.of(System.getProperty("bse.config", "config/application.properties")), java.util.Map.of()), out);
        }
        if (args.length >= 2 && args[0].equals("rules") && args[1].equals("status")) {
            java.util.List<String> rest = new java.util.ArrayList<>(java.util.Arrays.asList(args).subList(2, args.length));
            String context;
            try {
                context = ContextArgument.take(rest);
            } catch (IllegalArgumentException e) {
                out.println(e.getMessage());
                return 2;
            }
            if (!rest.isEmpty()) {
                out.println("bse rules status takes only --context NAME, not " + String.join(" ", rest));
                return 2;
            }
            return RulesStatus.print(System.getenv(), context, out);
        }
        java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(args));
        boolean requireCoverage = words.remove("--require-coverage");
        if (words.size() < 2 || words.size() > 3 || !words.get(0).equals("rules")
                || !(words.get(1).equals("test") || words.get(1).equals("check"))
                || requireCoverage && !words.get(1).equals("test")) {
            out.println(USAGE);
            return 2;
        }
        // The bse script runs from the project directory and passes the caller's directory along,
        // so a DIR given is the caller's; the default is the project's own rules/.
        Path directory = words.size() == 3 ? Path.of(System.getProperty("bse.cwd", ".")).resolve(words.get(2))
                : Path.of("rules");
        RuleBook rules;
        try {
            rules = RuleBook.load(directory, 10_000, Clock.systemUTC());
        } catch (RuleCompilationException e) {
            out.println("RULES REFUSED: " + directory);
            for (RuleProblem problem : e.problems()) {
                out.println("  " + problem);
            }
            return 1;
        }
        try (rules) {
            if (words.get(1).equals("check")) {
                var sources = rules.status().rules();
                sources.forEach(source -> out.println("  " + source.where() + "  " + source.rule()));
                out.println(sources.size() + " rules compiled from " + directory);
                return 0;
            }
            return test(rules, directory.resolve("scenarios"), requireCoverage, out);
        }
    }

    /**
     * {@code bse config check}: the engine's settings as it would start with them (secrets masked) and where
     * each came from; 1, naming them, when one is not a setting.
     */
    static int configCheck(Path file, java.util.Map<String, String> environment, PrintStream out) {
        Settings settings;
        try {
            settings = Settings.load(file, java.util.Map.of(), environment);
        } catch (RuntimeException e) {
            out.println("SETTINGS REFUSED: " + e.getMessage());
            return 1;
        }
        new java.util.TreeMap<>(settings.all()).forEach((key, value) -> {
            if (key.startsWith("bse.")) {
                out.println(key + " = " + shown(key, value) + "    (" + settings.source(key) + ")");
            }
        });
        return 0;
    }

    /**
     * A setting's value as {@code config check} prints it: masked as the project masks secrets, and a URL
     * whole only without credentials in it (a Slack webhook's path is its token; a JDBC or broker URL may
     * carry a password).
     */
    private static String shown(String key, String value) {
        String masked = dev.backupstate.model.Secrets.mask(key, value);
        if (key.endsWith(".url") && masked != null && !masked.isEmpty() && !masked.equals(dev.backupstate.model.Secrets.MASK)
                && (key.startsWith("bse.notify.") || masked.contains("@") || masked.toLowerCase(java.util.Locale.ROOT).contains("password"))) {
            return dev.backupstate.model.Secrets.MASK;
        }
        return masked;
    }

    /** {@code bse request [--dry-run] FILE...} to the engine {@code env} names. */
    public static int request(java.util.List<String> arguments, java.util.Map<String, String> env, PrintStream out) {
        return RequestCommand.run(arguments, Path.of(System.getProperty("bse.cwd", ".")), env, out);
    }

    /** {@code bse rules replay ...} on the database of {@code settings}. */
    public static int replay(String[] args, Settings settings, PrintStream out) {
        return ReplayCommand.run(args, Path.of(System.getProperty("bse.cwd", ".")), settings, out);
    }

    private static int test(RuleBook rules, Path scenarios, boolean requireCoverage, PrintStream out) {
        ScenarioRunner runner = new ScenarioRunner(rules);
        int passed = 0;
        int failed = 0;
        java.util.Set<String> fired = new java.util.HashSet<>();
        try {
            for (Path file : ScenarioFiles.in(scenarios)) {
                out.println(file.getFileName());
                for (Scenario scenario : ScenarioFiles.read(file)) {
                    ScenarioResult result = runner.run(scenario);
                    if (result.decision() != null) {
                        fired.addAll(result.decision().rulesFired());
                    }
                    if (result.passed()) {
                        passed++;
                        out.println("  PASS  " + scenario.name());
                    } else {
                        failed++;
                        out.println("  FAIL  " + scenario.name());
                        result.differences().forEach(d -> out.println("          " + d));
                        if (result.decision() != null) {
                            decided(result.decision(), out);
                        }
                    }
                }
            }
        } catch (IOException e) {
            out.println("cannot read scenarios in " + scenarios + ": " + e.getMessage());
            return 1;
        }
        if (passed + failed == 0) {
            out.println("no scenarios in " + scenarios);
            return 1;
        }
        out.println("scenarios: " + passed + " passed, " + failed + " failed");
        var silent = rules.status().rules().stream().filter(source -> !fired.contains(source.rule())).toList();
        if (silent.isEmpty()) {
            out.println("coverage: every rule fires in some scenario");
        } else {
            out.println("coverage: " + silent.size() + " rules no scenario fires:");
            silent.forEach(source -> out.println("  " + source.where() + "  " + source.rule()));
        }
        return failed == 0 && !(requireCoverage && !silent.isEmpty()) ? 0 : 1;
    }

    /** The whole decision beside a failed expectation: what the rules did decide. */
    private static void decided(dev.backupstate.model.Decision decision, PrintStream out) {
        out.println("          decided: " + (decision.accepted() ? "accepted" : "rejected " + decision.code())
                + " by \"" + decision.rule() + "\" (" + decision.message() + ")");
        decision.refusals().forEach(r -> out.println("            refused " + r.code() + " by \"" + r.rule() + "\": " + r.message()));
        decision.transitions().forEach(t -> out.println("            transition " + t));
        decision.commands().forEach(c -> out.println("            command " + c));
        decision.notes().forEach(n -> out.println("            note " + n));
        out.println("            rules fired: " + decision.rulesFired());
    }
}
