package dev.backupstate.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The engine's settings: config/application.properties, overridden by environment variables
 * (bse.inbox.directory by BSE_INBOX_DIRECTORY) and then by explicit overrides (tests, command line).
 */
public final class Settings {

    /**
     * Settings that were, and where what they set went: given anyway, the engine does not start (an
     * operator who sets one expects it to work).
     */
    static final Map<String, String> RETIRED = Map.of(
            "bse.clusters.silence-limit-seconds", "how long Stork may leave a backup or restore without a status is "
                    + "silenceLimitSeconds() in rules/backups.drl and restoreSilenceLimitSeconds() in rules/restores.drl",
            "bse.clusters.sync-wait-seconds", "a Federated sync is complete when Stork's pass is seen to end; "
                    + "its limit is syncLimitSeconds() in rules/sync.drl");

    private final Map<String, String> values;
    /** Where each value came from: the file, an environment variable, or the command line (tests' overrides). */
    private final Map<String, String> sources;

    private Settings(Map<String, String> values, Map<String, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    public static Settings load(Path file, Map<String, String> overrides) {
        return load(file, overrides, System.getenv());
    }

    /**
     * The file's settings, each overridden by its environment variable (bse.inbox.directory by
     * BSE_INBOX_DIRECTORY), then by {@code overrides}. The settings of a sink that bse.notify.sinks declares
     * may come from the environment alone. A key or BSE_* variable that is no setting, or a retired one,
     * stops here, named.
     */
    public static Settings load(Path file, Map<String, String> overrides, Map<String, String> environment) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration " + file, e);
        }
        Map<String, String> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key).trim());
            sources.put(key, file.toString());
            String fromEnvironment = environment.get(KnownSettings.variable(key));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment.trim());
                sources.put(key, "environment " + KnownSettings.variable(key));
            }
        }
        overrides.forEach((key, value) -> {
            values.put(key, value);
            sources.put(key, "override");
        });
        for (String key : KnownSettings.sinkKeys(values.get("bse.notify.sinks"))) {
            String fromEnvironment = environment.get(KnownSettings.variable(key));
            if (fromEnvironment != null && !overrides.containsKey(key)) {
                values.put(key, fromEnvironment.trim());
                sources.put(key, "environment " + KnownSettings.variable(key));
            }
        }
        for (String key : values.keySet()) {
            if (RETIRED.containsKey(key)) {
                throw new IllegalArgumentException("configuration key " + key + " is no longer a setting: " + RETIRED.get(key));
            }
        }
        java.util.Set<String> given = new java.util.HashSet<>(properties.stringPropertyNames());
        given.addAll(overrides.keySet());
        java.util.List<String> unknown = KnownSettings.shipped().unknown(given, environment, values.get("bse.notify.sinks"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", unknown));
        }
        return new Settings(values, sources);
    }

    /** Where {@code key}'s value came from: the file's path, {@code environment VARIABLE}, or {@code override}. */
    public String source(String key) {
        return sources.get(key);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("configuration key " + key + " is missing");
        }
        return value;
    }

    public Map<String, String> all() {
        return Map.copyOf(values);
    }
}
