package dev.backupstate.observe;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready when the store answers: a request taken while it does not would only be refused. Live
 * regardless, since a database outage is waited out rather than cured by a restart.
 */
public final class EngineHealthCheck extends AbstractHealthCheck {

    private final DataSource database;

    public EngineHealthCheck(DataSource database) {
        super("backupstate", "store");
        this.database = database;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = database.getConnection()) {
            if (connection.isValid(2)) {
                builder.up();
            } else {
                builder.message("the store's database does not answer").down();
            }
        } catch (SQLException e) {
            builder.message("the store's database is unreachable: " + e.getMessage()).error(e).down();
        }
    }
}
