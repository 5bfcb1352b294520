package dev.backupstate.notify;

import dev.backupstate.model.Notice;
import dev.backupstate.rules.ReloadReport;
import dev.backupstate.rules.RuleProblem;
import java.nio.file.Path;
import java.util.List;

/** A refused rules reload as a notice: the files and lines at fault, and the generation that keeps deciding. */
public final class RefusedReloads {

    private RefusedReloads() {
    }

    public static Notice notice(ReloadReport report, Path directory) {
        List<String> problems = report.problems().stream().map(RuleProblem::toString).toList();
        return new Notice(0, report.at(), Notice.Kind.RulesReloadRefused, "rules", String.valueOf(directory.getFileName()),
                "refused", "RULES_RELOAD_REFUSED", null, null,
                "the rules in " + directory.getFileName() + " were not loaded; generation " + report.generation() + " keeps deciding",
                problems, null);
    }

    /** The same refusal (same generation, same problems) is noticed once, whichever replica refused it. */
    public static String key(ReloadReport report) {
        return "rules-refused:" + report.generation() + ":" + Integer.toHexString(report.problems().toString().hashCode());
    }
}
