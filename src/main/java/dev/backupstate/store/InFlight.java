package dev.backupstate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Work in flight that is not a resource (issue 12): since when a followed ApplicationBackup has had no
 * status or could not be read, when a discovery configuration last ran, which agent answers are awaited
 * since when. Rows in the store, so a new
 * leader picks the clocks up where the old one left them; the leader reads them through a copy it loads
 * when it takes the lead ({@link #reload()}) and writes through, so a round that changes nothing costs
 * no query. Writes are fenced like every commit.
 */
public final class InFlight {

    /**
     * What is being timed: a followed object without status (SILENT) or out of sight (UNSEEN), a
     * discovery configuration's last run, and the agents' answers awaited: a check Job's VERDICT, a
     * SYNC, a DELETION.
     */
    public enum Kind { SILENT, UNSEEN, DISCOVERY_RUN, VERDICT, SYNC, DELETION }

    /**
     * {@code since}: when it began; {@code detail}: why, or the event last reported; {@code looked}: when
     * it was last looked into (may be null).
     */
    public record Mark(Kind kind, String key, Instant since, String detail, Instant looked) {
    }

    private final DataSource dataSource;
    private final Fence fence;
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();

    public InFlight(DataSource dataSource, Fence fence) {
        this.dataSource = dataSource;
        this.fence = fence;
    }

    /** Reads every mark from the store again: when this engine takes the lead, and at start. */
    public void reload() {
        Map<String, Mark> loaded = new ConcurrentHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select kind, mark_key, since, detail, looked from in_flight");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Timestamp looked = rows.getTimestamp(5);
                Mark mark = new Mark(Kind.valueOf(rows.getString(1)), rows.getString(2), rows.getTimestamp(3).toInstant(),
                        rows.getString(4), looked == null ? null : looked.toInstant());
                loaded.put(id(mark.kind(), mark.key()), mark);
            }
            connection.rollback();
        } catch (SQLException e) {
            throw new StoreException("reading the work in flight", e);
        }
        marks.clear();
        marks.putAll(loaded);
    }

    public Optional<Mark> get(Kind kind, String key) {
        return Optional.ofNullable(marks.get(id(kind, key)));
    }

    /** The keys of every mark of a kind. */
    public java.util.List<String> keys(Kind kind) {
        return marks.values().stream().filter(mark -> mark.kind() == kind).map(Mark::key).toList();
    }

    /** Records (or replaces) a mark. */
    public void put(Mark mark) {
        if (mark.equals(marks.get(id(mark.kind(), mark.key())))) {
            return;
        }
        write(mark.kind(), mark.key(), mark);
        marks.put(id(mark.kind(), mark.key()), mark);
    }

    /** Ends a mark; nothing is written when there is none. */
    public void remove(Kind kind, String key) {
        if (marks.containsKey(id(kind, key))) {
            write(kind, key, null);
            marks.remove(id(kind, key));
        }
    }

    private void write(Kind kind, String key, Mark mark) {
        try (Connection connection = dataSource.getConnection()) {
            fence.check(connection);
            try (PreparedStatement delete = connection.prepareStatement("delete from in_flight where kind = ? and mark_key = ?")) {
                delete.setString(1, kind.name());
                delete.setString(2, key);
                delete.executeUpdate();
            }
            if (mark != null) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into in_flight (kind, mark_key, since, detail, looked) values (?, ?, ?, ?, ?)")) {
                    insert.setString(1, kind.name());
                    insert.setString(2, key);
                    insert.setTimestamp(3, Timestamp.from(mark.since()));
                    insert.setString(4, mark.detail());
                    insert.setTimestamp(5, mark.looked() == null ? null : Timestamp.from(mark.looked()));
                    insert.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("recording work in flight " + kind + " " + key, e);
        }
    }

    private static String id(Kind kind, String key) {
        return kind + "|" + key;
    }
}
