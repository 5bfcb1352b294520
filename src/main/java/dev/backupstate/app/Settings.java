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

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    public static Settings load(Path file, Map<String, String> overrides) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration " + file, e);
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key).trim());
            String fromEnvironment = System.getenv(key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment.trim());
            }
        }
        values.putAll(overrides);
        for (String key : values.keySet()) {
            if (RETIRED.containsKey(key)) {
                throw new IllegalArgumentException("configuration key " + key + " is no longer a setting: " + RETIRED.get(key));
            }
        }
        return new Settings(values);
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
