package dev.backupstate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * Opens the engine's database and brings its schema up to date. H2 in a file is the embedded
 * default (PostgreSQL mode, so one migration set serves both); PostgreSQL is the production database.
 */
public final class Database {

    private Database() {
    }

    /**
     * The embedded default: a database file under {@code dataDirectory}. WRITE_DELAY=0 writes each
     * commit to the file before the commit returns (H2 otherwise waits up to half a second), so an
     * accepted request survives the engine being killed; surviving power loss takes PostgreSQL.
     */
    public static String embeddedUrl(Path dataDirectory) {
        return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("backupstate")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    /**
     * A pooled data source on {@code url}, migrated. {@code schema}, when not null, is created and
     * migrated by Flyway; the URL must select it for every connection (PostgreSQL: currentSchema=).
     */
    public static HikariDataSource open(String url, String user, String password, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("backupstate");
        config.setMaximumPoolSize(8);
        config.setAutoCommit(false);
        if (url.startsWith("jdbc:postgresql:")) {
            // a group commit's rows go to the server as one multi-row insert per table
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:dev/backupstate/store/migration");
            if (schema != null) {
                flyway.schemas(schema).createSchemas(true);
            }
            flyway.load().migrate();
            return dataSource;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }
}
