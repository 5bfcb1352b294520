package dev.backupstate.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.engine.Replay;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.rules.RuleCompilationException;
import dev.backupstate.store.Database;
import dev.backupstate.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code bse rules replay DIR [--since T] [--kind K]}: the recorded decisions decided again by the rules
 * of DIR, on the database the configuration names (the engine running or stopped); prints the
 * decisions that would change and the count per rule. Exit 0: none would change; 1: some would; 2: the
 * command could not run.
 */
final class ReplayCommand {

    private static final int LISTED = 200;

    private ReplayCommand() {
    }

    static int run(String[] args, Path cwd, Settings settings, PrintStream out) {
        if (args.length < 3) {
            out.println("usage: bse rules replay DIR [--since 2026-12-01T00:00:00Z | 24h | 7d] [--kind DeleteBackup]");
            return 2;
        }
        Path directory = cwd.resolve(args[2]);
        Instant since = null;
        String kind = null;
        for (int i = 3; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length || !(option.equals("--since") || option.equals("--kind"))) {
                out.println("bse rules replay: unknown or incomplete option '" + option + "' (--since T, --kind K)");
                return 2;
            }
            String value = args[++i];
            if (option.equals("--kind")) {
                kind = value;
            } else {
                try {
                    since = since(value, Clock.systemUTC());
                } catch (IllegalArgumentException e) {
                    out.println("bse rules replay: --since " + e.getMessage());
                    return 2;
                }
            }
        }
        RuleBook rules;
        try {
            rules = RuleBook.load(directory, 10_000, Clock.systemUTC());
        } catch (RuleCompilationException e) {
            out.println("RULES REFUSED: " + directory);
            e.problems().forEach(problem -> out.println("  " + problem));
            return 2;
        }
        String url = settings.get("bse.database.url");
        try (rules; HikariDataSource database = url.isEmpty()
                ? Database.open(Database.embeddedUrl(Path.of(settings.get("bse.data.directory"))), "sa", "", null)
                : Database.open(url, settings.get("bse.database.user"), settings.get("bse.database.password"), null)) {
            Replay.Report report = Replay.run(new Store(database, Clock.systemUTC()), rules, since, kind, LISTED);
            print(report, out);
            return report.changed() == 0 ? 0 : 1;
        } catch (RuntimeException e) {
            if (url.isEmpty() && locked(e)) {
                // H2 lets one process open its file; sharing it would mean serving it over TCP, which the engine does not
                out.println("bse rules replay: the embedded database in " + settings.get("bse.data.directory") + " is open in a "
                        + "running engine. Stop it and replay, or replay on the running engine the rule sets it holds: "
                        + "GET /api/v1/rules/replay?rules=shadow|in-force (with bse.rules.shadow-directory set to DIR). "
                        + "With PostgreSQL (bse.database.url) replay runs beside a running engine.");
                return 2;
            }
            out.println("bse rules replay: the database cannot be read: " + e.getMessage());
            return 2;
        }
    }

    /** Whether H2 refused the file because another process holds it ("Database may be already in use"). */
    static boolean locked(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Database may be already in use")) {
                return true;
            }
        }
        return false;
    }

    static void print(Replay.Report report, PrintStream out) {
        out.println("replayed " + report.replayed() + " decisions with the rules of " + report.directory() + ": "
                + report.changed() + " would change" + (report.withoutFacts() == 0 ? "" : ", " + report.withoutFacts()
                + " recorded without their facts (not replayed)") + (report.failed() == 0 ? "" : ", " + report.failed() + " failed"));
        for (Replay.Change change : report.changes()) {
            out.println("  #" + change.auditId() + " " + change.at() + " " + change.event() + " " + change.subject()
                    + (change.requestId() == null ? "" : " (request " + change.requestId() + ")"));
            out.println("      " + change.before() + "  ->  " + change.after());
            change.differences().forEach(difference -> out.println("      " + difference));
        }
        if (report.changes().size() < report.changed()) {
            out.println("  ... " + (report.changed() - report.changes().size()) + " more");
        }
        if (!report.byRule().isEmpty()) {
            out.println("per rule:");
            for (Map.Entry<String, Long> entry : report.byRule().entrySet()) {
                out.println("  " + entry.getValue() + "  \"" + entry.getKey() + "\"");
            }
        }
    }

    static Instant since(String value, Clock clock) {
        return Replay.since(value, clock);
    }
}
