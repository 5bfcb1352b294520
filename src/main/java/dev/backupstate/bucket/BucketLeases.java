package dev.backupstate.bucket;

import dev.backupstate.model.BucketKey;
import dev.backupstate.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Leases on bucket folders in the engine's database: the same SQL on H2 and PostgreSQL, so the embedded
 * default and a cluster of engines on PostgreSQL enforce "one sync per bucket" alike. A lease is
 * claimed when it is free, expired, or already ours; it is renewed while held and released after.
 */
public final class BucketLeases {

    private final DataSource dataSource;
    private final Clock clock;
    private final String holder;
    private final Duration ttl;

    public BucketLeases(DataSource dataSource, Clock clock, String holder, Duration ttl) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.holder = holder;
        this.ttl = ttl;
    }

    static String key(BucketKey bucket) {
        return bucket.endpoint() + "|" + bucket.bucket() + "|" + (bucket.prefix() == null ? "" : bucket.prefix());
    }

    /** True when this engine now holds the lease on the bucket folder (until {@link #release}). */
    public boolean claim(BucketKey bucket) {
        String key = key(bucket);
        try (Connection connection = dataSource.getConnection()) {
            Timestamp now = Timestamp.from(clock.instant());
            Timestamp until = Timestamp.from(clock.instant().plus(ttl));
            try (PreparedStatement take = connection.prepareStatement(
                    "update bucket_lease set holder = ?, expires_at = ? where bucket_key = ? and (expires_at < ? or holder = ?)")) {
                take.setString(1, holder);
                take.setTimestamp(2, until);
                take.setString(3, key);
                take.setTimestamp(4, now);
                take.setString(5, holder);
                if (take.executeUpdate() == 1) {
                    connection.commit();
                    return true;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bucket_lease (bucket_key, holder, expires_at) values (?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, holder);
                insert.setTimestamp(3, until);
                insert.executeUpdate();
                connection.commit();
                return true;
            } catch (SQLException taken) {
                // another engine (or thread) inserted it first, or holds it unexpired
                connection.rollback();
                return false;
            }
        } catch (SQLException e) {
            throw new StoreException("claiming the lease on bucket " + key, e);
        }
    }

    /** Extends a lease this engine holds; false when it was lost (expired and taken). */
    public boolean renew(BucketKey bucket) {
        return update("update bucket_lease set expires_at = ? where bucket_key = ? and holder = ?",
                Timestamp.from(clock.instant().plus(ttl)), key(bucket)) == 1;
    }

    public void release(BucketKey bucket) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("delete from bucket_lease where bucket_key = ? and holder = ?")) {
            delete.setString(1, key(bucket));
            delete.setString(2, holder);
            delete.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("releasing the lease on bucket " + key(bucket), e);
        }
    }

    private int update(String sql, Timestamp until, String key) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            update.setTimestamp(1, until);
            update.setString(2, key);
            update.setString(3, holder);
            int rows = update.executeUpdate();
            connection.commit();
            return rows;
        } catch (SQLException e) {
            throw new StoreException("renewing the lease on bucket " + key, e);
        }
    }
}
