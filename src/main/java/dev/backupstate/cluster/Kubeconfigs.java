package dev.backupstate.cluster;

import dev.backupstate.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where each cluster's kubeconfig is kept: inline, as {@code file:PATH}, or as {@code secret:NS/NAME}
 * (a Secret on the engine's own cluster, {@link HomeSecrets}); references are read each time a client
 * is built, so a rotated file or Secret is picked up. The text is never logged.
 */
public final class Kubeconfigs {

    static final String FILE = "file:";
    static final String SECRET = "secret:";
    private static final String UPSERT = "merge into cluster_credential c using (values (?, ?, cast(? as timestamp with time zone))) "
            + "as s(cluster, kubeconfig, updated_at) on c.cluster = s.cluster "
            + "when matched then update set kubeconfig = s.kubeconfig, updated_at = s.updated_at "
            + "when not matched then insert (cluster, kubeconfig, updated_at) values (s.cluster, s.kubeconfig, s.updated_at)";

    private final DataSource dataSource;
    private final Clock clock;
    private final HomeSecrets secrets;

    private final KubeconfigPolicy policy;

    public Kubeconfigs(DataSource dataSource, Clock clock) {
        this(dataSource, clock, new HomeSecrets(""), new KubeconfigPolicy(null, java.util.Set.of()));
    }

    public Kubeconfigs(DataSource dataSource, Clock clock, HomeSecrets secrets, KubeconfigPolicy policy) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.secrets = secrets;
        this.policy = policy;
    }

    public KubeconfigPolicy policy() {
        return policy;
    }

    public void save(String cluster, String kubeconfig) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, cluster);
            upsert.setString(2, kubeconfig);
            upsert.setString(3, clock.instant().toString());
            upsert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("could not keep the kubeconfig of cluster " + cluster, e);
        }
    }

    /** What was saved for the cluster: the kubeconfig itself or its reference. */
    public Optional<String> stored(String cluster) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select kubeconfig from cluster_credential where cluster = ?")) {
            select.setString(1, cluster);
            try (ResultSet row = select.executeQuery()) {
                Optional<String> found = row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                connection.commit();
                return found;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the kubeconfig of cluster " + cluster, e);
        }
    }

    /** The kubeconfig's text, a {@code file:} reference read now. Empty when none was saved. */
    public Optional<String> resolve(String cluster) {
        return stored(cluster).map(this::contents);
    }

    public void remove(String cluster) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("delete from cluster_credential where cluster = ?")) {
            delete.setString(1, cluster);
            delete.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("could not forget the kubeconfig of cluster " + cluster, e);
        }
    }

    /** The kubeconfig's text, held to the policy whatever its source (a Secret or file may have changed). */
    String contents(String kubeconfig) {
        String text;
        if (kubeconfig.startsWith(SECRET)) {
            text = secrets.read(kubeconfig.substring(SECRET.length()).trim());
        } else if (kubeconfig.startsWith(FILE)) {
            String path = kubeconfig.substring(FILE.length()).trim();
            try {
                text = Files.readString(policy.realFile(path, "kubeconfig"));
            } catch (IOException e) {
                // the same words whether the file is missing or unreadable: a cause must not map the disk
                throw new UncheckedIOException("kubeconfig file " + path + " cannot be read", e);
            }
        } else {
            text = kubeconfig;
        }
        policy.checkText(text, "kubeconfig");
        return text;
    }
}
