package dev.backupstate.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Both real databases for a test class: the embedded H2 default (a fresh file) and the machine's
 * PostgreSQL (started by .ci/run; BSE_TEST_POSTGRES_URL, _USER, _PASSWORD) in a schema of the class's
 * own, migrated. Opened on first use, closed by the class.
 */
public final class TestDatabases implements AutoCloseable {

    public static final String POSTGRES_URL = env("BSE_TEST_POSTGRES_URL", "jdbc:postgresql://localhost:5432/bse_test");
    public static final String POSTGRES_USER = env("BSE_TEST_POSTGRES_USER", "bse");
    public static final String POSTGRES_PASSWORD = env("BSE_TEST_POSTGRES_PASSWORD", "bse");

    private final String schema;
    private final List<HikariDataSource> opened = new ArrayList<>();

    public TestDatabases(String schemaPrefix) {
        this.schema = schemaPrefix + "_" + Long.toString(System.nanoTime(), 36);
    }

    /** The PostgreSQL URL that selects {@code schema} for every connection. */
    public static String postgresUrl(String schema) {
        return POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** H2 and PostgreSQL, named for parameterized tests' display names. */
    public synchronized Stream<Named<HikariDataSource>> named() {
        if (opened.isEmpty()) {
            try {
                opened.add(Database.open(Database.embeddedUrl(Files.createTempDirectory("bse-h2")), "sa", "", null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            opened.add(Database.open(postgresUrl(schema), POSTGRES_USER, POSTGRES_PASSWORD, schema));
        }
        return Stream.of(Named.of("H2 (embedded default)", opened.get(0)), Named.of("PostgreSQL", opened.get(1)));
    }

    public synchronized List<HikariDataSource> opened() {
        return List.copyOf(opened);
    }

    /** Drops the PostgreSQL schema and closes both. */
    @Override
    public synchronized void close() throws java.sql.SQLException {
        if (opened.size() == 2) {
            try (java.sql.Connection connection = opened.get(1).getConnection(); java.sql.Statement sql = connection.createStatement()) {
                sql.executeUpdate("drop schema " + schema + " cascade");
                connection.commit();
            }
        }
        opened.forEach(HikariDataSource::close);
        opened.clear();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
