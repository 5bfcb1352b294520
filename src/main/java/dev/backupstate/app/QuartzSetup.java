package dev.backupstate.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * camel-quartz on a JDBC job store in the engine's own database (the V4 migration's tables), always
 * clustered: one instance or several, a trigger fires on one of them, and a restarted engine finds its
 * triggers where it left them. camel-quartz has no DataSource option, so the engine's pool is handed to
 * Quartz under a name.
 */
final class QuartzSetup {

    static final String DATA_SOURCE = "backupstate";

    private QuartzSetup() {
    }

    static QuartzComponent component(DataSource database, String instanceId, int threads) {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return database.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the engine, which closes it
            }

            @Override
            public void initialize() {
                // nothing: the pool is open already
            }
        });
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "backup-state-engine");
        properties.setProperty("org.quartz.scheduler.instanceId", instanceId.isBlank() ? hostName() : instanceId);
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // PostgreSQL's delegate reads job data as bytes, which H2 in PostgreSQL mode answers alike
        properties.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", "7500");
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(properties);
        quartz.setPrefixInstanceName(false);
        return quartz;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "backup-state-engine";
        }
    }
}
