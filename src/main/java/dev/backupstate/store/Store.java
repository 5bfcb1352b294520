package dev.backupstate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.Command;
import dev.backupstate.model.CommandType;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The engine's memory: resources, the audit trail, idempotency keys and the outbox, in one database.
 * A decision's transitions, its audit record, its request key and its commands commit together, so
 * a crash between deciding and acting loses nothing and repeats nothing.
 */
public final class Store {

    /** Unique violation: H2 and PostgreSQL both report it with this SQL state. */
    private static final String DUPLICATE_KEY = "23505";
    private static final String INSERT_REQUEST_KEY = "insert into request (actor, request_id, fingerprint, event_kind, subject, "
            + "outcome, created_at) values (?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_RESOURCE = "delete from resource where kind = ? and name = ?";
    private static final String INSERT_COMMAND = "insert into outbox (request_id, command_type, target, args, created_at, body) "
            + "values (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_AUDIT = "insert into audit (at, actor, source, request_id, event_kind, subject, "
            + "accepted, reason, rule, message, transitions, notes, generation, refusals, facts, subject_uid, dry_run) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_AUDIT_LINK = "insert into audit_resource (audit_id, uid, ref) values (?, ?, ?)";
    private static final String UPSERT_RESOURCE = "merge into resource r using (values (?, ?, ?, ?, cast(? as timestamp with time zone))) "
            + "as s(kind, name, state, body, updated_at) on r.kind = s.kind and r.name = s.name "
            + "when matched then update set state = s.state, body = s.body, updated_at = s.updated_at "
            + "when not matched then insert (kind, name, state, body, updated_at) "
            + "values (s.kind, s.name, s.state, s.body, s.updated_at)";

    private static final String INSERT_NOTICE = "insert into notice (at, event, body) values (?, ?, ?)";

    private final DataSource dataSource;
    private final Clock clock;
    private final Fence fence;

    /** A store for one engine alone: commits are not fenced. */
    public Store(DataSource dataSource, Clock clock) {
        this(dataSource, clock, Fence.none());
    }

    /** {@code fence}: checked inside every commit, so that only the leader's commits go through. */
    public Store(DataSource dataSource, Clock clock, Fence fence) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.fence = fence;
    }

    public Fence fence() {
        return fence;
    }

    /**
     * Writes a decision in one transaction: for an accepted one its transitions and commands, for any
     * its audit record and its request key. A request id already stored wins: its outcome comes back
     * and nothing is written.
     */
    public Committed commit(Envelope envelope, Decision decision) {
        Outcome outcome = Outcome.of(envelope.requestId(), decision);
        try (Connection connection = dataSource.getConnection()) {
            try {
                Optional<EarlierRequest> earlier = earlier(connection, envelope.user(), envelope.requestId());
                if (earlier.isPresent()) {
                    connection.rollback();
                    return new Committed(earlier.get().answer(envelope), false);
                }
                fence.check(connection);
                insertRequestKey(connection, envelope, outcome);
                if (decision.accepted()) {
                    applyTransitions(connection, decision.transitions());
                    insertCommands(connection, envelope.requestId(), decision.commands());
                }
                insertAudit(connection, envelope, decision);
                try (PreparedStatement notices = connection.prepareStatement(INSERT_NOTICE)) {
                    addNotices(notices, envelope, decision);
                    notices.executeBatch();
                }
                connection.commit();
                return new Committed(outcome, true);
            } catch (SQLException e) {
                connection.rollback();
                if (isDuplicateKey(e)) {
                    // Another instance or thread committed this request id first: its outcome stands.
                    return new Committed(earlier(connection, envelope.user(), envelope.requestId())
                            .orElseThrow(() -> e).answer(envelope), false);
                }
                throw e;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("committing the decision on " + envelope.event().subject()
                    + " (request " + envelope.requestId() + ")", e);
        }
    }

    /**
     * Writes several decisions in one transaction (group commit: one commit, one sync to disk, for
     * all of them), in their order. Throws {@link DuplicateRequestException} and writes nothing when a
     * request id among them was stored meanwhile; the caller then commits them one by one.
     */
    public List<Outcome> commitAll(List<Decided> decisions) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement keys = connection.prepareStatement(INSERT_REQUEST_KEY);
                 PreparedStatement upsert = connection.prepareStatement(UPSERT_RESOURCE);
                 PreparedStatement delete = connection.prepareStatement(DELETE_RESOURCE);
                 PreparedStatement commands = connection.prepareStatement(INSERT_COMMAND);
                 PreparedStatement audit = auditInsert(connection);
                 PreparedStatement links = connection.prepareStatement(INSERT_AUDIT_LINK);
                 PreparedStatement notices = connection.prepareStatement(INSERT_NOTICE)) {
                fence.check(connection);
                List<Outcome> outcomes = new ArrayList<>();
                // a resource changed twice in the batch is written once, as the last decision left it
                Map<ResourceRef, Transition> last = new LinkedHashMap<>();
                for (Decided decided : decisions) {
                    Outcome outcome = Outcome.of(decided.envelope().requestId(), decided.decision());
                    outcomes.add(outcome);
                    addRequestKey(keys, decided.envelope(), outcome);
                    if (decided.decision().accepted()) {
                        decided.decision().transitions().forEach(transition -> last.put(transition.ref(), transition));
                        addCommands(commands, decided.envelope().requestId(), decided.decision().commands());
                    }
                    addAudit(audit, decided.envelope(), decided.decision());
                    addNotices(notices, decided.envelope(), decided.decision());
                }
                keys.executeBatch();
                addTransitions(upsert, delete, last.values());
                upsert.executeBatch();
                delete.executeBatch();
                withdrawEnded(connection, last.values());
                commands.executeBatch();
                audit.executeBatch();
                addLinks(links, audit, decisions);
                links.executeBatch();
                notices.executeBatch();
                connection.commit();
                return outcomes;
            } catch (SQLException e) {
                connection.rollback();
                if (isDuplicateKey(e)) {
                    throw new DuplicateRequestException(e);
                }
                throw e;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("committing " + decisions.size() + " decisions together", e);
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            if (DUPLICATE_KEY.equals(next.getSQLState())) {
                return true;
            }
        }
        return e instanceof java.sql.BatchUpdateException && e.getCause() instanceof SQLException cause
                && DUPLICATE_KEY.equals(cause.getSQLState());
    }

    /** The first outcome of a user's request id, if it was ever decided. */
    public Optional<Outcome> outcome(String user, String requestId) {
        return earlier(user, requestId).map(EarlierRequest::outcome);
    }

    /** A user's request id as first decided, if it was. */
    public Optional<EarlierRequest> earlier(String user, String requestId) {
        return read("reading the outcome of request " + requestId, connection -> earlier(connection, user, requestId));
    }

    public Optional<Resource> find(ResourceRef ref) {
        return read("reading " + ref, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select body from resource where kind = ? and name = ?")) {
                select.setString(1, ref.kind().name());
                select.setString(2, ref.name());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(ResourceCodec.read(ref.kind(), row.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Every resource, for loading the in-memory catalog at start. */
    public List<Resource> resources() {
        return read("reading the catalog", connection -> {
            List<Resource> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select kind, body from resource");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    all.add(ResourceCodec.read(ResourceKind.valueOf(rows.getString(1)), rows.getString(2)));
                }
            }
            return all;
        });
    }

    /**
     * The history of the resource that holds (or last held) this name: the decisions linked to its uid,
     * oldest first. A name used again starts a new history; the old one stays with the old uid.
     */
    public List<AuditEntry> audit(ResourceRef subject) {
        return lastUid(subject).map(uid -> history(uid, null, 0, Integer.MAX_VALUE)).orElse(List.of());
    }

    /**
     * One page of a resource's history by its uid: the decisions linked to it after the entry
     * {@code afterId}, oldest first, at most {@code limit}; only {@code actors}' when given (a person
     * who may not see everyone's attempts on the fleet sees their own and the engine's).
     */
    public List<AuditEntry> history(String uid, List<String> actors, long afterId, int limit) {
        // the decisions linked to the uid, and those whose notes name it as "[KIND/NAME]" (what a sync saw
        // of it) while it held its name: from its first decision to the first of the next resource of the name
        Optional<Lifetime> lifetime = lifetime(uid);
        String condition = "(id in (select audit_id from audit_resource where uid = ?)"
                + (lifetime.isPresent() ? " or (notes like ? and id >= ? and id < ?)" : "") + ") and id > ?";
        List<Object> values = new ArrayList<>(List.of(uid));
        lifetime.ifPresent(span -> {
            values.add("%[" + span.ref() + "]%");
            values.add(span.from());
            values.add(span.until());
        });
        values.add(afterId);
        if (actors != null) {
            condition += " and actor in (" + String.join(", ", java.util.Collections.nCopies(actors.size(), "?")) + ")";
            values.addAll(actors);
        }
        return auditWhere(condition, " order by id", limit, values.toArray());
    }

    /** The name a uid held, and the audit ids it held it over: from its first linked entry to the first of the next resource of the name. */
    private record Lifetime(String ref, long from, long until) {
    }

    private Optional<Lifetime> lifetime(String uid) {
        return read("reading the lifetime of " + uid, connection -> {
            try (PreparedStatement first = connection.prepareStatement(
                    "select ref, min(audit_id) from audit_resource where uid = ? group by ref")) {
                first.setString(1, uid);
                try (ResultSet row = first.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<Lifetime>empty();
                    }
                    String ref = row.getString(1);
                    long from = row.getLong(2);
                    try (PreparedStatement next = connection.prepareStatement(
                            "select min(audit_id) from audit_resource where ref = ? and uid <> ? and audit_id > ?")) {
                        next.setString(1, ref);
                        next.setString(2, uid);
                        next.setLong(3, from);
                        try (ResultSet after = next.executeQuery()) {
                            long until = after.next() && after.getObject(1) != null ? after.getLong(1) : Long.MAX_VALUE;
                            return Optional.of(new Lifetime(ref, from, until));
                        }
                    }
                }
            }
        });
    }

    /** The uid of the resource that holds this name now, or last held it, as the audit trail knows it. */
    public Optional<String> lastUid(ResourceRef ref) {
        return read("reading the identity of " + ref, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select uid from audit_resource where ref = ? order by audit_id desc")) {
                select.setMaxRows(1);
                select.setString(1, ref.toString());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** The decisions of one request id (one, unless the request was refused as a duplicate elsewhere). */
    public List<AuditEntry> auditOfRequest(String requestId) {
        return auditWhere("request_id = ?", requestId);
    }

    /** Commands not yet carried out, oldest first. */
    public List<PendingCommand> pendingCommands(int limit) {
        return pendingCommands(limit, null);
    }

    /** The commands not carried out yet whose next attempt is due at {@code now} (all of them when null), oldest first. */
    public List<PendingCommand> pendingCommands(int limit, Instant now) {
        return read("reading the outbox", connection -> {
            List<PendingCommand> pending = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select id, request_id, command_type, body "
                    + "from outbox where dispatched_at is null"
                    + (now == null ? "" : " and (next_attempt_at is null or next_attempt_at <= ?)")
                    + " order by id fetch first " + limit + " rows only")) {
                if (now != null) {
                    select.setTimestamp(1, Timestamp.from(now));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pending.add(new PendingCommand(rows.getLong(1), rows.getString(2),
                                CommandCodec.read(CommandType.valueOf(rows.getString(3)), rows.getString(4))));
                    }
                }
            }
            return pending;
        });
    }

    /** Marks a command carried out; false when it already was. */
    public boolean markDispatched(long id) {
        return markDispatched(id, null);
    }

    /**
     * Marks a command carried out; {@code kept}, when not null, replaces it (and its words), so that a
     * kubeconfig a command carried does not stay in the outbox table once it is used.
     */
    public boolean markDispatched(long id, Command kept) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("update outbox set dispatched_at = ?, "
                     + "args = coalesce(?, args), body = coalesce(?, body) where id = ? and dispatched_at is null")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setString(2, kept == null ? null : ResourceCodec.json(kept.args()));
            update.setString(3, kept == null ? null : CommandCodec.write(kept));
            update.setLong(4, id);
            fence.check(connection);
            boolean marked = update.executeUpdate() == 1;
            connection.commit();
            return marked;
        } catch (SQLException e) {
            throw new StoreException("marking outbox command " + id + " dispatched", e);
        }
    }

    /**
     * Records a failed attempt of a command, in the store so that the next leader keeps its back-off:
     * {@code delay} from now; returns the attempts so far.
     */
    public int commandFailed(long id, java.util.function.IntFunction<java.time.Duration> delay, String error) {
        try (Connection connection = dataSource.getConnection()) {
            fence.check(connection);
            int attempts;
            try (PreparedStatement select = connection.prepareStatement("select attempts from outbox where id = ? for update")) {
                select.setLong(1, id);
                try (ResultSet row = select.executeQuery()) {
                    attempts = row.next() ? row.getInt(1) + 1 : 1;
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "update outbox set attempts = ?, next_attempt_at = ?, last_error = ? where id = ? and dispatched_at is null")) {
                update.setInt(1, attempts);
                update.setTimestamp(2, Timestamp.from(clock.instant().plus(delay.apply(attempts))));
                update.setString(3, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
                update.setLong(4, id);
                update.executeUpdate();
            }
            connection.commit();
            return attempts;
        } catch (SQLException e) {
            throw new StoreException("recording a failed attempt of outbox command " + id, e);
        }
    }

    // --- within a transaction ---------------------------------------------------------------

    private Optional<EarlierRequest> earlier(Connection connection, String user, String requestId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select outcome, fingerprint, event_kind, subject, created_at from request where actor = ? and request_id = ?")) {
            select.setString(1, user);
            select.setString(2, requestId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new EarlierRequest(readOutcome(row.getString(1)), row.getString(2),
                        row.getString(3), row.getString(4), row.getTimestamp(5).toInstant())) : Optional.empty();
            }
        }
    }

    private void insertRequestKey(Connection connection, Envelope envelope, Outcome outcome) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_REQUEST_KEY)) {
            addRequestKey(insert, envelope, outcome);
            insert.executeBatch();
        }
    }

    private void applyTransitions(Connection connection, List<Transition> transitions) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_RESOURCE);
             PreparedStatement delete = connection.prepareStatement(DELETE_RESOURCE)) {
            addTransitions(upsert, delete, transitions);
            upsert.executeBatch();
            delete.executeBatch();
        }
        withdrawEnded(connection, transitions);
    }

    /**
     * A restore the catalog has ended (Success, Partial Success, Failure) or removed is never started
     * afterwards: its RUN_RESTORE still waiting in the outbox (for Stork's sync to bring the backup to its
     * cluster, say) is withdrawn in the same transaction, marked done with why.
     */
    private void withdrawEnded(Connection connection, Collection<Transition> transitions) throws SQLException {
        try (PreparedStatement withdraw = connection.prepareStatement("update outbox set dispatched_at = ?, last_error = ? "
                + "where dispatched_at is null and command_type = ? and target = ?")) {
            for (Transition transition : transitions) {
                if (transition.ref().kind() == dev.backupstate.model.ResourceKind.RESTORE && ended(transition.after())) {
                    withdraw.setTimestamp(1, Timestamp.from(clock.instant()));
                    withdraw.setString(2, "withdrawn: the restore " + (transition.after() == null ? "was removed"
                            : "ended " + transition.after().state()));
                    withdraw.setString(3, CommandType.RUN_RESTORE.name());
                    withdraw.setString(4, transition.ref().toString());
                    withdraw.addBatch();
                }
            }
            withdraw.executeBatch();
        }
    }

    private static boolean ended(Resource restore) {
        return restore == null || ((dev.backupstate.model.Restore) restore).state() != dev.backupstate.model.RestoreState.PENDING
                && ((dev.backupstate.model.Restore) restore).state() != dev.backupstate.model.RestoreState.IN_PROGRESS;
    }

    /** Whether a command of {@code type} for {@code target} waits in the outbox, not yet carried out. */
    public boolean awaitsDispatch(CommandType type, ResourceRef target) {
        return read("reading the outbox", connection -> {
            try (PreparedStatement select = connection.prepareStatement("select 1 from outbox where dispatched_at is null "
                    + "and command_type = ? and target = ? fetch first 1 rows only")) {
                select.setString(1, type.name());
                select.setString(2, target.toString());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    private void insertCommands(Connection connection, String requestId, List<Command> commands) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_COMMAND)) {
            addCommands(insert, requestId, commands);
            insert.executeBatch();
        }
    }

    /**
     * A dry run in the audit trail, marked as one: what it would have decided, linked to its subject
     * only (it changed nothing). Not fenced: any replica answers dry runs.
     */
    public void auditDryRun(Envelope envelope, Decision decision) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = auditInsert(connection);
             PreparedStatement links = connection.prepareStatement(INSERT_AUDIT_LINK)) {
            try {
                addAudit(insert, envelope, decision.withFacts(List.of()), true);
                insert.executeBatch();
                if (decision.subjectUid() != null) {
                    try (ResultSet ids = insert.getGeneratedKeys()) {
                        ids.next();
                        links.setLong(1, ids.getLong(1));
                        links.setString(2, decision.subjectUid());
                        links.setString(3, envelope.event().subject().toString());
                        links.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("auditing the dry run of request " + envelope.requestId(), e);
        }
    }

    private void insertAudit(Connection connection, Envelope envelope, Decision decision) throws SQLException {
        try (PreparedStatement insert = auditInsert(connection);
             PreparedStatement links = connection.prepareStatement(INSERT_AUDIT_LINK)) {
            addAudit(insert, envelope, decision);
            insert.executeBatch();
            addLinks(links, insert, List.of(new Decided(envelope, decision)));
            links.executeBatch();
        }
    }

    /**
     * The audit insert, giving back each new entry's id only: asked by column name, since PostgreSQL
     * answers RETURN_GENERATED_KEYS with whole rows (a decision's facts are kilobytes).
     */
    private static PreparedStatement auditInsert(Connection connection) throws SQLException {
        String id = connection.getMetaData().storesUpperCaseIdentifiers() ? "ID" : "id";
        return connection.prepareStatement(INSERT_AUDIT, new String[] {id});
    }

    /**
     * Links each audit entry just written (their ids, in order, from {@code audit}'s generated keys) to
     * the resources it concerns: its subject, and every resource an accepted decision changed. A
     * resource's history is then the entries linked to its uid, whatever names came and went.
     */
    private static void addLinks(PreparedStatement links, PreparedStatement audit, List<Decided> decisions) throws SQLException {
        try (ResultSet ids = audit.getGeneratedKeys()) {
            for (Decided decided : decisions) {
                Decision decision = decided.decision();
                if (!ids.next()) {
                    throw new SQLException("the database gave fewer audit ids than entries written");
                }
                long id = ids.getLong(1);
                Map<String, String> touched = new LinkedHashMap<>();
                if (decision.accepted()) {
                    decision.transitions().stream().filter(t -> t.uid() != null).forEach(t -> touched.putIfAbsent(t.uid(), t.ref().toString()));
                }
                if (decision.subjectUid() != null && !touched.containsKey(decision.subjectUid())) {
                    touched.put(decision.subjectUid(), decided.envelope().event().subject().toString());
                }
                for (Map.Entry<String, String> resource : touched.entrySet()) {
                    links.setLong(1, id);
                    links.setString(2, resource.getKey());
                    links.setString(3, resource.getValue());
                    links.addBatch();
                }
            }
        }
    }


    private void addRequestKey(PreparedStatement insert, Envelope envelope, Outcome outcome) throws SQLException {
        insert.setString(1, envelope.user());
        insert.setString(2, outcome.requestId());
        insert.setString(3, envelope.fingerprint());
        insert.setString(4, envelope.event().operation());
        insert.setString(5, envelope.event().subject().toString());
        insert.setString(6, ResourceCodec.json(outcome));
        insert.setTimestamp(7, Timestamp.from(clock.instant()));
        insert.addBatch();
    }

    private void addTransitions(PreparedStatement upsert, PreparedStatement delete, Collection<Transition> transitions)
            throws SQLException {
        String now = clock.instant().toString();
        for (Transition transition : transitions) {
            Resource after = transition.after();
            if (after == null) {
                delete.setString(1, transition.ref().kind().name());
                delete.setString(2, transition.ref().name());
                delete.addBatch();
            } else {
                upsert.setString(1, after.kind().name());
                upsert.setString(2, after.name());
                upsert.setString(3, after.state() == null ? null : ((Enum<?>) after.state()).name());
                upsert.setString(4, ResourceCodec.write(after));
                upsert.setString(5, now);
                upsert.addBatch();
            }
        }
    }

    private void addCommands(PreparedStatement insert, String requestId, List<Command> commands) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        for (Command command : commands) {
            insert.setString(1, requestId);
            insert.setString(2, command.type().name());
            insert.setString(3, command.target().toString());
            insert.setString(4, ResourceCodec.json(command.args()));
            insert.setTimestamp(5, now);
            insert.setString(6, CommandCodec.write(command));
            insert.addBatch();
        }
    }

    /** The notices the decision gives rise to (most give none: the batch is then empty). */
    private static void addNotices(PreparedStatement insert, Envelope envelope, Decision decision) throws SQLException {
        for (dev.backupstate.model.Notice notice : dev.backupstate.notify.Notices.of(envelope, decision)) {
            insert.setTimestamp(1, Timestamp.from(notice.at()));
            insert.setString(2, notice.event().name());
            insert.setString(3, ResourceCodec.json(notice));
            insert.addBatch();
        }
    }

    private void addAudit(PreparedStatement insert, Envelope envelope, Decision decision) throws SQLException {
        addAudit(insert, envelope, decision, false);
    }

    private void addAudit(PreparedStatement insert, Envelope envelope, Decision decision, boolean dryRun) throws SQLException {
        insert.setTimestamp(1, Timestamp.from(clock.instant()));
        insert.setString(2, envelope.user());
        insert.setString(3, envelope.source().name());
        insert.setString(4, envelope.requestId());
        insert.setString(5, envelope.event().operation());
        insert.setString(6, envelope.event().subject().toString());
        insert.setBoolean(7, decision.accepted());
        insert.setString(8, decision.code());
        insert.setString(9, decision.rule());
        insert.setString(10, decision.message());
        insert.setString(11, ResourceCodec.json(decision.transitions().stream().map(Transition::toString).toList()));
        insert.setString(12, ResourceCodec.json(decision.notes()));
        insert.setLong(13, decision.generation());
        insert.setString(14, decision.accepted() ? null : ResourceCodec.json(decision.refusals()));
        insert.setString(15, decision.facts().isEmpty() ? null : FactsCodec.write(decision.facts()));
        insert.setString(16, decision.subjectUid());
        insert.setBoolean(17, dryRun);
        insert.addBatch();
    }

    /**
     * The accepted decisions since {@code since} that changed something, newest first, at most {@code limit}
     * (the console's "what changed"); {@code actor} not null: only that user's own requests.
     */
    public List<AuditEntry> changesSince(Instant since, String actor, int limit) {
        return auditWhere("at >= ? and accepted = true and dry_run = false and transitions <> '[]'" + (actor == null ? "" : " and actor = ?"),
                " order by id desc", limit, Timestamp.from(since), actor);
    }

    private List<AuditEntry> auditWhere(String condition, String... values) {
        return auditWhere(condition, " order by id", Integer.MAX_VALUE, (Object[]) values);
    }

    private List<AuditEntry> auditWhere(String condition, String order, int limit, Object... values) {
        return read("reading the audit trail", connection -> {
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select id, at, actor, source, request_id, "
                    + "event_kind, subject, accepted, reason, rule, message, transitions, notes, generation, refusals, dry_run from audit where "
                    + condition + order)) {
                select.setMaxRows(limit == Integer.MAX_VALUE ? 0 : limit);
                int index = 1;
                for (Object value : values) {
                    if (value != null) {
                        select.setObject(index++, value);
                    }
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new AuditEntry(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                                rows.getBoolean(8), rows.getString(9), rows.getString(10), rows.getString(11),
                                strings(rows.getString(12)), strings(rows.getString(13)), rows.getLong(14),
                                refusals(rows.getString(15)), rows.getBoolean(16)));
                    }
                }
            }
            return entries;
        });
    }

    /** A decision as the audit trail recorded it, with the facts it was made on (null when they were not kept). */
    public record Recorded(long id, Instant at, String requestId, String eventKind, String subject, boolean accepted,
                           String reason, String rule, List<String> transitions, List<Object> facts) {
    }

    /**
     * Every recorded decision since {@code since} (all when null), of one event kind (all when null),
     * oldest first, streamed to {@code each} without loading the trail at once (replay).
     */
    public void forEachRecorded(Instant since, String eventKind, java.util.function.Consumer<Recorded> each) {
        read("reading the audit trail", connection -> {
            StringBuilder query = new StringBuilder("select id, at, request_id, event_kind, subject, accepted, reason, rule, "
                    + "transitions, facts from audit where dry_run = false");
            if (since != null) {
                query.append(" and at >= ?");
            }
            if (eventKind != null) {
                query.append(" and event_kind = ?");
            }
            query.append(" order by id");
            try (PreparedStatement select = connection.prepareStatement(query.toString())) {
                int next = 1;
                if (since != null) {
                    select.setTimestamp(next++, Timestamp.from(since));
                }
                if (eventKind != null) {
                    select.setString(next, eventKind);
                }
                select.setFetchSize(500);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String facts = rows.getString(10);
                        each.accept(new Recorded(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getBoolean(6), rows.getString(7), rows.getString(8),
                                strings(rows.getString(9)), facts == null ? null : FactsCodec.read(facts)));
                    }
                }
            }
            return null;
        });
    }

    private static List<dev.backupstate.model.Decision.Ruling> refusals(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.json().readValue(json, new TypeReference<List<dev.backupstate.model.Decision.Ruling>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit row's refusals cannot be read", e);
        }
    }

    private static List<String> strings(String json) {
        try {
            return Json.json().readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit row cannot be read", e);
        }
    }

    private static Outcome readOutcome(String json) {
        try {
            return Json.json().readValue(json, Outcome.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored outcome cannot be read", e);
        }
    }

    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String what, Query<T> query) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                return query.run(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }
}
