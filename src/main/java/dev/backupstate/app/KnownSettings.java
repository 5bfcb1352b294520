package dev.backupstate.app;

import dev.backupstate.notify.Sink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a setting is: every key of config/application.properties as the project ships it (a copy on the
 * classpath, so an operator's own file cannot widen it), a location's credentials
 * ({@code bse.credentials.NAME}), and the settings of each sink {@code bse.notify.sinks} declares. A
 * {@code bse.*} key or {@code BSE_*} variable that is none of these is a typo or a setting that does not
 * exist: the start stops, naming it and the nearest setting that does.
 */
final class KnownSettings {

    static final String SHIPPED = "/dev/backupstate/app/shipped/application.properties";
    /** Read by the command line and the check Job, not by the engine's settings. */
    static final Set<String> CLIENT_VARIABLES = Set.of("BSE_SERVER", "BSE_TOKEN", "BSE_USER", "BSE_CONFIG", "BSE_TERMINATION_LOG");
    private static final Pattern CREDENTIALS = Pattern.compile("bse\\.credentials\\.[A-Za-z0-9][A-Za-z0-9._/:-]{0,300}");

    private final Set<String> keys;

    private KnownSettings(Set<String> keys) {
        this.keys = keys;
    }

    /** The settings as the project ships them. */
    static KnownSettings shipped() {
        Properties properties = new Properties();
        try (InputStream in = KnownSettings.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped settings " + SHIPPED + " are not on the classpath: rebuild the engine");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped settings", e);
        }
        return new KnownSettings(new TreeSet<>(properties.stringPropertyNames()));
    }

    /** The environment variable that sets {@code key}: BSE_INBOX_DIRECTORY for bse.inbox.directory. */
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");
    }

    /** The settings of the sinks declared in {@code sinks} (bse.notify.sinks). */
    static List<String> sinkKeys(String sinks) {
        List<String> keys = new ArrayList<>();
        if (sinks == null) {
            return keys;
        }
        for (String sink : sinks.split(",")) {
            if (!sink.isBlank()) {
                Sink.SETTINGS.forEach(setting -> keys.add("bse.notify." + sink.trim() + "." + setting));
            }
        }
        return keys;
    }

    boolean known(String key, String sinks) {
        return keys.contains(key) || CREDENTIALS.matcher(key).matches() || sinkKeys(sinks).contains(key);
    }

    /**
     * What is not a setting among {@code given} keys (from a file or overrides; only {@code bse.*}: the rest is
     * Camel's) and the {@code BSE_*} variables of {@code environment}, each with the nearest setting.
     */
    List<String> unknown(Collection<String> given, Map<String, String> environment, String sinks) {
        List<String> sinkKeys = sinkKeys(sinks);
        List<String> candidates = new ArrayList<>(keys);
        candidates.addAll(sinkKeys);
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(given)) {
            if (key.startsWith("bse.") && !known(key, sinks)) {
                problems.add("configuration key " + key + " is not a setting" + nearest(key, candidates));
            }
        }
        List<String> variables = candidates.stream().map(KnownSettings::variable).toList();
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith("BSE_") && !CLIENT_VARIABLES.contains(name) && !name.startsWith("BSE_CREDENTIALS_")
                    && !variables.contains(name)) {
                problems.add("environment variable " + name + " is not a setting" + nearest(name, variables));
            }
        }
        return problems;
    }

    private static String nearest(String name, List<String> candidates) {
        return candidates.stream().min(Comparator.comparingInt(candidate -> distance(name, candidate)))
                .filter(best -> distance(name, best) <= Math.max(3, name.length() / 3))
                .map(best -> " (did you mean " + best + "?)").orElse("");
    }

    /** Levenshtein's distance between two names. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
