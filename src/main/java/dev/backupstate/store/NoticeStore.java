package dev.backupstate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.Notice;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * The notices and how far each sink has delivered them. Decisions write their notices in their own
 * transaction ({@link Store}); the engine's own notices (overdue schedules, refused rule reloads) are
 * raised here, once per occasion. A sink's cursor moves only after its receiver took the notice: at least
 * once, in order, the notice's id the same on every attempt.
 */
public final class NoticeStore {

    private static final String DUPLICATE_KEY = "23505";

    private final DataSource dataSource;
    private final Clock clock;

    public NoticeStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** How one sink stands: delivered through which notice, failing since how many attempts, and why. */
    public record SinkState(String sink, long deliveredThrough, int attempts, Instant nextAttemptAt, String lastError,
                            Instant lastDeliveredAt, long delivered) {

        public boolean failing() {
            return attempts > 0;
        }
    }

    /** Raises a notice of the engine's own; false when this occasion ({@code dedupeKey}) was noticed before. */
    public boolean raise(Notice notice, String dedupeKey) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into notice (at, event, body, dedupe_key) values (?, ?, ?, ?)")) {
                insert.setTimestamp(1, Timestamp.from(notice.at()));
                insert.setString(2, notice.event().name());
                insert.setString(3, ResourceCodec.json(notice));
                insert.setString(4, dedupeKey);
                insert.executeUpdate();
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                if (DUPLICATE_KEY.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("raising notice " + notice.event(), e);
        }
    }

    /** Up to {@code limit} notices after {@code id}, oldest first, each with its id. */
    public List<Notice> after(long id, int limit) {
        return read("reading notices", connection -> {
            List<Notice> notices = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select id, body from notice where id > ? order by id")) {
                select.setLong(1, id);
                select.setMaxRows(limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        notices.add(parse(rows.getString(2)).withId(rows.getLong(1)));
                    }
                }
            }
            return notices;
        });
    }

    /** The newest notice's id (0 when there is none): with a cursor, how far a sink is behind. */
    public long latest() {
        return read("reading the newest notice", connection -> {
            try (PreparedStatement select = connection.prepareStatement("select coalesce(max(id), 0) from notice");
                 ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /**
     * A sink's state; a sink seen for the first time starts after the newest notice, so that adding a
     * sink does not replay the history to it.
     */
    public SinkState sink(String sink) {
        Optional<SinkState> known = find(sink);
        if (known.isPresent()) {
            return known.get();
        }
        long start = latest();
        write("registering notification sink " + sink, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into notice_sink (sink, delivered_through) values (?, ?)")) {
                insert.setString(1, sink);
                insert.setLong(2, start);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
            }
        });
        return find(sink).orElseThrow();
    }

    public Optional<SinkState> find(String sink) {
        return read("reading notification sink " + sink, connection -> {
            try (PreparedStatement select = connection.prepareStatement("select sink, delivered_through, attempts, next_attempt_at, "
                    + "last_error, last_delivered_at, delivered from notice_sink where sink = ?")) {
                select.setString(1, sink);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new SinkState(row.getString(1), row.getLong(2), row.getInt(3), instant(row.getTimestamp(4)),
                            row.getString(5), instant(row.getTimestamp(6)), row.getLong(7)));
                }
            }
        });
    }

    /**
     * The sink's receiver took the notices through {@code through} ({@code sent} of them were its; the
     * others its filter passed over): the cursor moves and the failure count is cleared.
     */
    public void delivered(String sink, long through, int sent) {
        write("recording a delivery to " + sink, connection -> {
            try (PreparedStatement update = connection.prepareStatement("update notice_sink set delivered_through = ?, attempts = 0, "
                    + "next_attempt_at = null, last_error = null, delivered = delivered + ?, "
                    + "last_delivered_at = case when ? > 0 then ? else last_delivered_at end where sink = ? and delivered_through < ?")) {
                update.setLong(1, through);
                update.setInt(2, sent);
                update.setInt(3, sent);
                update.setTimestamp(4, Timestamp.from(clock.instant()));
                update.setString(5, sink);
                update.setLong(6, through);
                update.executeUpdate();
            }
        });
    }

    /** The receiver refused or did not answer: tried again after {@code backOff(attempts)}. Returns the attempts so far. */
    public int failed(String sink, IntFunction<Duration> backOff, String error) {
        SinkState state = sink(sink);
        int attempts = state.attempts() + 1;
        write("recording a failed delivery to " + sink, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update notice_sink set attempts = ?, next_attempt_at = ?, last_error = ? where sink = ?")) {
                update.setInt(1, attempts);
                update.setTimestamp(2, Timestamp.from(clock.instant().plus(backOff.apply(attempts))));
                update.setString(3, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
                update.setString(4, sink);
                update.executeUpdate();
            }
        });
        return attempts;
    }

    private static Notice parse(String body) {
        try {
            return Json.json().readValue(body, Notice.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored notice cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private interface Change {
        void run(Connection connection) throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                return work.run(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    private void write(String what, Change change) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                change.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }
}
