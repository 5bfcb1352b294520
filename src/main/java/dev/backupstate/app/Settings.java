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
