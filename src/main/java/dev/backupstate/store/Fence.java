package dev.backupstate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The leadership epoch in the store (table {@code leadership}). The replica the cluster service
 * elects {@link #take takes} the next epoch; {@link #check} runs inside every commit's transaction and
 * refuses it unless the epoch is still the one this replica took. The row is updated by each check,
 * so two commits of two replicas cannot both see their own epoch: the second waits for the first's
 * transaction and then finds the epoch moved on. Unfenced (no leadership configured: a single engine,
 * a test) it checks nothing.
 */
public final class Fence {

    /** Who leads now, as the store says. */
    public record Leader(long epoch, String holder, String address) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final boolean enforced;
    private volatile long epoch;
    private volatile String holder;

    private Fence(DataSource dataSource, Clock clock, boolean enforced) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.enforced = enforced;
    }

    /** A fence that lets every commit through: one engine, no election. */
    public static Fence none() {
        return new Fence(null, Clock.systemUTC(), false);
    }

    /** A fence that lets commits through only while this replica holds the epoch it took. */
    public static Fence enforced(DataSource dataSource, Clock clock) {
        return new Fence(dataSource, clock, true);
    }

    public boolean enforced() {
        return enforced;
    }

    /** Leadership won: the next epoch, taken in one statement, with who holds it and where it answers. */
    public long take(String member, String address) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update leadership set epoch = epoch + 1, holder = ?, address = ?, since = ? where id = 1");
             PreparedStatement read = connection.prepareStatement("select epoch from leadership where id = 1")) {
            update.setString(1, member);
            update.setString(2, address);
            update.setTimestamp(3, Timestamp.from(clock.instant()));
            update.executeUpdate();
            long taken;
            try (ResultSet row = read.executeQuery()) {
                row.next();
                taken = row.getLong(1);
            }
            connection.commit();
            holder = member;
            epoch = taken;
            return taken;
        } catch (SQLException e) {
            throw new StoreException("taking the leadership epoch", e);
        }
    }

    /** Leadership lost: nothing this replica commits from now on goes through. */
    public void drop() {
        epoch = 0;
    }

    /** The epoch this replica holds, 0 when it does not lead. */
    public long epoch() {
        return epoch;
    }

    /** Before deciding at all: a replica that does not lead decides nothing (what it holds may be old). */
    public void refuseUnlessLeading() {
        if (enforced && epoch == 0) {
            throw new FencedException("this engine does not lead; the leader decides");
        }
    }

    /** Inside a commit's transaction: the commit goes on only while this replica's epoch is the store's. */
    void check(Connection connection) throws SQLException {
        if (!enforced) {
            return;
        }
        refuseUnlessLeading();
        long mine = epoch;
        try (PreparedStatement update = connection.prepareStatement(
                "update leadership set epoch = epoch where id = 1 and epoch = ? and holder = ?")) {
            update.setLong(1, mine);
            update.setString(2, holder);
            if (update.executeUpdate() != 1) {
                epoch = 0;
                throw new FencedException("this engine's leadership (epoch " + mine + ") has been taken over");
            }
        }
    }

    /** Who leads according to the store (the holder of the newest epoch), if anyone ever did. */
    public Optional<Leader> leader() {
        if (dataSource == null) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement("select epoch, holder, address from leadership where id = 1");
             ResultSet row = read.executeQuery()) {
            Optional<Leader> leader = row.next() && row.getLong(1) > 0
                    ? Optional.of(new Leader(row.getLong(1), row.getString(2), row.getString(3))) : Optional.empty();
            connection.commit();
            return leader;
        } catch (SQLException e) {
            throw new StoreException("reading who leads", e);
        }
    }
}
