package dev.backupstate.engine;

import dev.backupstate.model.Decision;
import dev.backupstate.model.Transition;
import dev.backupstate.rules.RuleBook;
import dev.backupstate.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Recorded decisions decided again by other rules (issue 13): each audit record's event on the facts it
 * was given then, by the rules of a directory; what would change (accepted or not, reason,
 * transitions), with counts per deciding rule. Reads the store only: it runs beside a running engine or
 * on a stopped engine's database, and changes nothing.
 */
public final class Replay {

    /** A decision the rules replayed would make otherwise. */
    public record Change(long auditId, Instant at, String requestId, String event, String subject, String before,
                         String after, String rule, List<String> differences) {
    }

    public record Report(String directory, long generation, long replayed, long changed, long withoutFacts, long failed,
                         Map<String, Long> byRule, List<Change> changes) {
    }

    private Replay() {
    }

    /** {@code since}, {@code eventKind}: null for all; at most {@code kept} changes are listed (all are counted). */
    public static Report run(Store store, RuleBook rules, Instant since, String eventKind, int kept) {
        long[] counts = new long[4];
        Map<String, Long> byRule = new TreeMap<>();
        List<Change> changes = new ArrayList<>();
        store.forEachRecorded(since, eventKind, recorded -> {
            if (recorded.facts() == null) {
                counts[2]++;
                return;
            }
            counts[0]++;
            Decision again;
            try {
                again = rules.evaluate(recorded.facts());
            } catch (RuntimeException e) {
                counts[3]++;
                return;
            }
            List<String> differences = new ArrayList<>();
            if (recorded.accepted() != again.accepted()) {
                differences.add((recorded.accepted() ? "accepted" : "rejected") + " -> " + (again.accepted() ? "accepted" : "rejected"));
            }
            if (!Objects.equals(recorded.reason(), again.code())) {
                differences.add("reason " + recorded.reason() + " -> " + again.code());
            }
            List<String> transitions = again.transitions().stream().map(Transition::toString).toList();
            if (!recorded.transitions().equals(transitions)) {
                differences.add("transitions " + recorded.transitions() + " -> " + transitions);
            }
            if (differences.isEmpty()) {
                return;
            }
            counts[1]++;
            byRule.merge(String.valueOf(again.rule()), 1L, Long::sum);
            if (changes.size() < kept) {
                changes.add(new Change(recorded.id(), recorded.at(), recorded.requestId(), recorded.eventKind(), recorded.subject(),
                        verdict(recorded.accepted(), recorded.reason(), recorded.rule()), verdict(again.accepted(), again.code(), again.rule()),
                        again.rule(), differences));
            }
        });
        return new Report(rules.shownDirectory(), rules.generation(), counts[0], counts[1], counts[2], counts[3], byRule, changes);
    }

    private static String verdict(boolean accepted, String reason, String rule) {
        return (accepted ? "accepted" : "rejected " + reason) + " by \"" + rule + "\"";
    }

    /** An instant (2026-12-01T00:00:00Z), or a span back from now: 90m, 24h, 7d. */
    public static Instant since(String value, Clock clock) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            java.util.regex.Matcher span = java.util.regex.Pattern.compile("(\\d{1,6})([mhd])").matcher(value);
            if (!span.matches()) {
                throw new IllegalArgumentException("'" + value + "' is neither an instant (2026-12-01T00:00:00Z) nor a span (90m, 24h, 7d)");
            }
            long amount = Long.parseLong(span.group(1));
            Duration back = switch (span.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(back);
        }
    }
}
