package dev.backupstate.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Actor;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Role;
import dev.backupstate.model.Source;
import dev.backupstate.store.AuditEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * The REST inbox (DESIGN.md "Interfaces"): what routes/inbox-rest.camel.yaml calls for each endpoint.
 * Every call needs a bearer token of a configured user, who is the actor; reads show that user what
 * {@link ReadAccess} lets them see. POST /requests answers 202 with the outcome when accepted, 409
 * when a rule refused, 400 for a malformed document, 413 for one over the size limit.
 */
public final class RestApi {

    private final DecisionLoop loop;
    private final DocumentIntake intake;
    private final Tokens tokens;
    private final ReadAccess access;
    private final Mode mode;
    private final dev.backupstate.rules.RuleBook rules;

    private final ResourceDetails details;
    private final ConnectionGrid grid;

    public RestApi(DecisionLoop loop, DocumentIntake intake, Tokens tokens, Mode mode, dev.backupstate.rules.RuleBook rules,
                   ResourceDetails details) {
        this.details = details;
        this.grid = new ConnectionGrid(loop.catalog(), rules, mode);
        this.rules = rules;
        this.loop = loop;
        this.intake = intake;
        this.tokens = tokens;
        this.access = new ReadAccess(loop.catalog());
        this.mode = mode;
    }

    public void submit(Exchange exchange) {
        Optional<String> user = authenticate(exchange, "dryRun");
        if (user.isEmpty()) {
            return;
        }
        String dryRun = query(exchange).get("dryRun");
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            reply(exchange, 400, error("dryRun is true or false, not '" + dryRun + "'", "dryRun"));
            return;
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data")) {
            // the HTTP server has taken the body apart as form fields; the document is gone
            intake.unreadable(Source.REST);
            reply(exchange, 400, error("Content-Type " + contentType + " is a form, not a document: send it as "
                    + "application/yaml or application/json (curl: -H 'Content-Type: application/yaml')", "Content-Type"));
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        try {
            OperationDocument document = intake.read(body);
            if ("true".equals(dryRun)) {
                if (!withinRate(exchange, user.get(), RateLimits.Kind.DRY_RUNS)) {
                    return;
                }
                reply(exchange, 200, DryRun.of(intake.tryOut(document, Source.REST, user.get(), UUID.randomUUID().toString()),
                        access.actor(user.get()).admin()));
                return;
            }
            Outcome outcome;
            try {
                outcome = intake.decide(document, Source.REST, user.get(), UUID.randomUUID().toString());
            } catch (dev.backupstate.store.FencedException e) {
                passToLeader(exchange, contentType, body, e);
                return;
            }
            reply(exchange, outcome.accepted() ? 202 : rules.httpStatus(outcome.reason()), outcome);
        } catch (DocumentTooLargeException e) {
            intake.unreadable(Source.REST);
            reply(exchange, 413, error(e.getMessage(), null));
        } catch (InvalidDocumentException e) {
            intake.unreadable(Source.REST);
            reply(exchange, 400, error(e.getMessage(), e.field()));
        }
    }

    /**
     * This replica does not lead: the leader decides the request, as it came (issue 12). Read and
     * checked here first, so bad input is answered where it arrived; never passed on twice.
     */
    private void passToLeader(Exchange exchange, String contentType, byte[] body, RuntimeException why) {
        boolean forwarded = exchange.getMessage().getHeader(LeaderForwarder.FORWARDED) != null;
        var answer = forwarded || forwarder == null ? java.util.Optional.<LeaderForwarder.Answer>empty()
                : forwarder.forward("/api/v1/requests", exchange.getMessage().getHeader("Authorization", String.class), contentType, body);
        if (answer.isEmpty()) {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader("Retry-After", "2");
            reply(exchange, 503, error(why.getMessage() + "; no leader answers now: send it again shortly (the same requestId acts once)", null));
            exchange.getMessage().setHeader("Retry-After", "2");
            return;
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, answer.get().status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, answer.get().contentType());
        exchange.getMessage().setBody(answer.get().body());
    }

    private volatile LeaderForwarder forwarder;
    private volatile RateLimits limits = new RateLimits(0, 0, java.time.Clock.systemUTC(), kind -> { });

    /** The per-user rates every call is held to (bse.limits.*). */
    public void limit(RateLimits rates) {
        this.limits = rates;
    }

    /** True when the user may make this call now; else answered 429 with Retry-After. */
    private boolean withinRate(Exchange exchange, String user, RateLimits.Kind kind) {
        java.util.OptionalLong wait = limits.take(user, kind);
        if (wait.isEmpty()) {
            return true;
        }
        reply(exchange, 429, error("user " + user + " went over " + limits.rate(kind) + " "
                + (kind == RateLimits.Kind.DRY_RUNS ? "dry runs" : "calls") + " a second; send again in " + wait.getAsLong() + " s", null));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(wait.getAsLong()));
        return false;
    }

    /** How writes reach the leader when this replica follows. */
    public void forwardWith(LeaderForwarder forwarder) {
        this.forwarder = forwarder;
    }

    /** One's own request only: request ids are scoped to their user. */
    public void outcome(Exchange exchange) {
        authenticate(exchange, NO_QUERY).ifPresent(user -> {
            String requestId = exchange.getMessage().getHeader("requestId", String.class);
            Optional<Outcome> outcome = loop.store().outcome(user, requestId);
            reply(exchange, outcome.isPresent() ? 200 : 404,
                    outcome.isPresent() ? outcome.get() : error("you sent no request " + requestId, null));
        });
    }

    /**
     * A page of one kind, filtered: {@code {kind, items, continue}}; {@code continue} is absent on the last
     * page. Only what the caller may see is walked and counted toward the limit, so a page is never short
     * because of someone else's resources.
     */
    public void resources(Exchange exchange) {
        Optional<Actor> caller = authenticate(exchange, ListQuery.PARAMETERS.toArray(String[]::new)).map(access::actor);
        Optional<ResourceKind> wanted = caller.isEmpty() ? Optional.empty() : kind(exchange);
        if (wanted.isEmpty()) {
            return;
        }
        Actor actor = caller.get();
        ListQuery query;
        try {
            query = ListQuery.of(wanted.get(), query(exchange));
        } catch (ListQuery.BadParameter e) {
            reply(exchange, 400, error(e.getMessage(), e.parameter()));
            return;
        }
        java.util.function.Predicate<Resource> visible = access.seesAll(actor, query.kind()) ? query.filter()
                : query.filter().and(resource -> access.sees(actor, resource));
        dev.backupstate.engine.Catalog.Page page = loop.catalog().page(query.kind(), visible, query.after(), query.limit());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", query.kind().path());
        body.put("items", page.items().stream().map(RestApi::view).toList());
        if (page.next() != null) {
            body.put("continue", ListQuery.token(page.next()));
        }
        reply(exchange, 200, body);
    }

    public void resource(Exchange exchange) {
        authenticate(exchange, NO_QUERY).map(access::actor).ifPresent(actor -> {
            String name = exchange.getMessage().getHeader("name", String.class);
            kind(exchange).ifPresent(kind -> loop.catalog().find(ResourceRef.of(kind, name))
                    .filter(found -> access.sees(actor, found)).ifPresentOrElse(
                            found -> reply(exchange, 200, view(found)),
                            () -> reply(exchange, 404, error("no " + kind.path() + "/" + name, null))));
        });
    }

    /** GET /resources/backups/{name}/deletability: would the caller's delete be accepted now, by which cluster, or why not. */
    public void deletability(Exchange exchange) {
        visible(exchange, ResourceKind.BACKUP).ifPresent(found -> reply(exchange, 200,
                details.deletability(found.actor(), (dev.backupstate.model.Backup) found.resource())));
    }

    /** GET /resources/backup-locations/{name}/eligible-clusters: the clusters the rules hold eligible, and every linked one. */
    public void eligibility(Exchange exchange) {
        visible(exchange, ResourceKind.BACKUP_LOCATION).ifPresent(found -> reply(exchange, 200,
                details.eligibility(found.resource().name())));
    }

    /** GET /resources/schedules/{name}/runs[?count=N]: the next fire times in the policy's zone, the last run and last success. */
    public void runs(Exchange exchange) {
        visible(exchange, ResourceKind.SCHEDULE, "count").ifPresent(found -> {
            String text = query(exchange).getOrDefault("count", "5");
            if (!text.matches("[1-9][0-9]?")) {
                reply(exchange, 400, error("count is a whole number from 1 to 99, not '" + text + "'", "count"));
                return;
            }
            reply(exchange, 200, details.runs((dev.backupstate.model.Schedule) found.resource(), Integer.parseInt(text)));
        });
    }

    /** GET /me: the caller as the engine knows them (the console shows only what the role allows). */
    public void me(Exchange exchange) {
        Optional<String> caller = identify(exchange, false);
        if (caller.isPresent() && !query(exchange).isEmpty()) {
            reply(exchange, 400, error("unknown query parameter '" + query(exchange).keySet().iterator().next()
                    + "'; this endpoint takes none", query(exchange).keySet().iterator().next()));
            return;
        }
        caller.map(access::actor).ifPresent(actor -> {
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("user", actor.name());
            me.put("state", actor.state().label());
            me.put("role", actor.role().label());
            me.put("admin", actor.admin());
            me.put("mode", mode.label());
            reply(exchange, 200, me);
        });
    }

    /** GET /grid?offset=&limit=&cluster=&state=&connection=: one page of the location × cluster grid. */
    public void grid(Exchange exchange) {
        if (authenticate(exchange, "offset", "limit", "cluster", "state", "connection").isEmpty()) {
            return;
        }
        Map<String, String> query = query(exchange);
        try {
            int offset = number(query.get("offset"), 0, 0, Integer.MAX_VALUE, "offset");
            int limit = number(query.get("limit"), 50, 1, ConnectionGrid.MAX_ROWS, "limit");
            reply(exchange, 200, grid.page(query.get("cluster"), query.get("state"), query.get("connection"), offset, limit));
        } catch (ListQuery.BadParameter e) {
            reply(exchange, 400, error(e.getMessage(), e.parameter()));
        }
    }

    /**
     * GET /changes?since=60m[&limit=N]: the accepted decisions that changed something, newest first; an
     * admin's are everyone's, anyone else's their own requests'.
     */
    public void changes(Exchange exchange) {
        Optional<Actor> caller = authenticate(exchange, "since", "limit").map(access::actor);
        if (caller.isEmpty()) {
            return;
        }
        Map<String, String> query = query(exchange);
        java.time.Instant since;
        int limit;
        try {
            since = dev.backupstate.engine.Replay.since(query.getOrDefault("since", "60m"), java.time.Clock.systemUTC());
            limit = number(query.get("limit"), 50, 1, 500, "limit");
        } catch (ListQuery.BadParameter e) {
            reply(exchange, 400, error(e.getMessage(), e.parameter()));
            return;
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, error("since: " + e.getMessage(), "since"));
            return;
        }
        reply(exchange, 200, loop.store().changesSince(since, caller.get().admin() ? null : caller.get().name(), limit));
    }

    private static int number(String text, int fallback, int least, int most, String parameter) {
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= least && value <= most) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ListQuery.BadParameter(parameter, parameter + " is a whole number from " + least + " to " + most + ", not '" + text + "'");
    }

    private record Found(Actor actor, Resource resource) {
    }

    /** The named resource of this kind if the caller may see it; else answered (401, 400 or 404) and empty. */
    private Optional<Found> visible(Exchange exchange, ResourceKind kind, String... known) {
        Optional<Actor> caller = authenticate(exchange, known).map(access::actor);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        String name = exchange.getMessage().getHeader("name", String.class);
        Optional<Resource> found = loop.catalog().find(ResourceRef.of(kind, name)).filter(r -> access.sees(caller.get(), r));
        if (found.isEmpty()) {
            reply(exchange, 404, error("no " + kind.path() + "/" + name, null));
            return Optional.empty();
        }
        return Optional.of(new Found(caller.get(), found.get()));
    }

    /** The counts of what the caller may see: an admin's are the whole fleet's. */
    public void matrix(Exchange exchange) {
        authenticate(exchange, NO_QUERY).map(access::actor).ifPresent(actor -> {
            Map<String, Object> kinds = new LinkedHashMap<>();
            for (ResourceKind kind : ResourceKind.values()) {
                if (kind.existsIn(mode)) {
                    kinds.put(kind.path(), access.seesAll(actor, kind) ? loop.catalog().countByState(kind) : visibleCounts(actor, kind));
                }
            }
            reply(exchange, 200, Map.of("mode", mode.label(), "resources", kinds));
        });
    }

    private Map<String, Integer> visibleCounts(Actor actor, ResourceKind kind) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Resource resource : loop.catalog().all(kind)) {
            if (access.sees(actor, resource)) {
                counts.merge(resource.stateLabel(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * GET /audit: one page ({@code {items, continue}}, {@code limit} 1 to 1000, default 100) of the
     * decisions of one's own request ({@code requestId}), or of a resource's history ({@code resource=KIND/NAME}:
     * the resource that holds the name now, or last held it, by its uid), or of any history by uid
     * ({@code uid}, admins only). What the caller may not see answers as what does not exist: an empty
     * page. On the fleet (clusters, locations, ...), which everyone sees, a non-admin's page holds only
     * their own attempts and the engine's observations.
     */
    public void audit(Exchange exchange) {
        Optional<Actor> caller = authenticate(exchange, "resource", "requestId", "uid", "limit", "continue").map(access::actor);
        if (caller.isEmpty()) {
            return;
        }
        Actor actor = caller.get();
        Map<String, String> query = query(exchange);
        int limit;
        long after;
        try {
            limit = number(query.get("limit"), 100, 1, 1000, "limit");
            after = query.containsKey("continue") ? number(query.get("continue"), 0, 0, Integer.MAX_VALUE, "continue") : 0;
        } catch (ListQuery.BadParameter e) {
            reply(exchange, 400, error(e.getMessage(), e.parameter()));
            return;
        }
        String resource = query.get("resource");
        String requestId = query.get("requestId");
        String uid = query.get("uid");
        List<AuditEntry> entries;
        if (requestId != null) {
            entries = loop.store().auditOfRequest(requestId).stream()
                    .filter(entry -> actor.admin() || entry.actor().equals(actor.name()))
                    .filter(entry -> entry.id() > after).limit(limit).toList();
        } else if (uid != null) {
            if (!actor.admin()) {
                reply(exchange, 403, error("user " + actor.name() + " is " + actor.role().label()
                        + "; reading a history by uid needs the admin role", "uid"));
                return;
            }
            entries = loop.store().history(uid, null, after, limit);
        } else if (resource != null && resource.contains("/")) {
            String[] parts = resource.split("/", 2);
            ResourceRef ref;
            try {
                ref = ResourceRef.of(ResourceKind.fromPath(parts[0]), parts[1]);
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, error(e.getMessage(), "resource"));
                return;
            }
            entries = history(actor, ref, after, limit);
        } else {
            reply(exchange, 400, error("give ?resource=KIND/NAME, ?requestId=ID or ?uid=UID", "resource"));
            return;
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", entries);
        if (entries.size() == limit) {
            page.put("continue", String.valueOf(entries.get(entries.size() - 1).id()));
        }
        reply(exchange, 200, page);
    }

    /** A resource's history as this caller may read it (see {@link #audit}). */
    private List<AuditEntry> history(Actor actor, ResourceRef ref, long after, int limit) {
        Optional<Resource> current = loop.catalog().find(ref);
        if (current.isPresent()) {
            if (!access.sees(actor, current.get())) {
                // hidden: answered as a name nobody ever held
                return List.of();
            }
            List<String> actors = access.seesAll(actor, ref.kind()) && !actor.admin()
                    ? List.of(actor.name(), Actor.ENGINE_NAME) : null;
            return loop.store().history(current.get().uid(), actors, after, limit);
        }
        // removed: an admin reads its last history whole, anyone else their own part of it
        return loop.store().lastUid(ref).map(uid -> loop.store().history(uid,
                actor.admin() ? null : List.of(actor.name()), after, limit)).orElse(List.of());
    }

    /**
     * GET /rules: the generation in force, its hash, when and from which files it was loaded, each rule
     * with file and line, the last refused load and the rules that threw while deciding. Admins only:
     * the rules' errors quote the facts they failed on, which may be anyone's.
     */
    public void rules(Exchange exchange) {
        adminOnly(exchange, "reading the rules' status", NO_QUERY).ifPresent(actor -> reply(exchange, 200, rules.status()));
    }

    /**
     * GET /rules/replay?rules=shadow|in-force[&since=24h][&kind=DeleteBackup]: the recorded decisions
     * decided again by the shadow rules (or those in force) and what would change; admins only (it shows
     * every user's decisions). Only rule sets the engine already holds are replayed: no directory is
     * named by the caller.
     */
    public void replay(Exchange exchange) {
        if (adminOnly(exchange, "replaying decisions", "rules", "since", "kind").isEmpty()) {
            return;
        }
        Map<String, String> query = query(exchange);
        String which = query.getOrDefault("rules", "shadow");
        dev.backupstate.rules.RuleBook book;
        if (which.equals("in-force")) {
            book = rules;
        } else if (which.equals("shadow")) {
            book = loop.shadow().map(dev.backupstate.rules.ShadowRules::candidate).orElse(null);
            if (book == null) {
                reply(exchange, 404, error("no shadow rules: set bse.rules.shadow-directory, or ask for rules=in-force", "rules"));
                return;
            }
        } else {
            reply(exchange, 400, error("rules is shadow or in-force, not '" + which + "'", "rules"));
            return;
        }
        java.time.Instant since;
        try {
            since = query.containsKey("since") ? dev.backupstate.engine.Replay.since(query.get("since"), java.time.Clock.systemUTC()) : null;
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, error("since: " + e.getMessage(), "since"));
            return;
        }
        reply(exchange, 200, dev.backupstate.engine.Replay.run(loop.store(), book, since, query.get("kind"), 200));
    }

    /**
     * GET /rules/shadow: what the shadow rules would have decided otherwise (404 when none are
     * configured). Admins only: the disagreements name every user's requests; commands are masked.
     */
    public void shadow(Exchange exchange) {
        adminOnly(exchange, "reading the shadow rules", NO_QUERY).ifPresent(user -> loop.shadow().ifPresentOrElse(
                candidate -> reply(exchange, 200, candidate.report()),
                () -> reply(exchange, 404, error("no shadow rules: set bse.rules.shadow-directory", null))));
    }

    /** For other doors on this server (the sandbox controls): the caller, if an Active admin; else answered 401/403. */
    public Optional<Actor> admin(Exchange exchange) {
        return adminOf(exchange, authenticate(exchange), "this");
    }

    /** The caller if an Active admin and every query parameter is one the endpoint knows; else answered and empty. */
    private Optional<Actor> adminOnly(Exchange exchange, String what, String... known) {
        return adminOf(exchange, authenticate(exchange, known), what);
    }

    private Optional<Actor> adminOf(Exchange exchange, Optional<String> user, String what) {
        Optional<Actor> actor = user.map(access::actor);
        if (actor.isPresent() && !actor.get().role().covers(Role.ADMIN)) {
            reply(exchange, 403, error("user " + actor.get().name() + " is " + actor.get().role().label()
                    + "; " + what + " needs the admin role", null));
            return Optional.empty();
        }
        return actor;
    }

    /** A resource as the API shows it: its state by the matrix's name, as /matrix and the outcomes name it. */
    private static JsonNode view(Resource resource) {
        ObjectNode view = Json.json().valueToTree(resource);
        view.put("state", resource.stateLabel());
        return view;
    }

    private Optional<ResourceKind> kind(Exchange exchange) {
        String path = exchange.getMessage().getHeader("kind", String.class);
        try {
            return Optional.of(ResourceKind.fromPath(path));
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, error(e.getMessage(), "kind"));
            return Optional.empty();
        }
    }

    private static final String[] NO_QUERY = {};

    /**
     * The caller, and the query parameters checked against those the endpoint knows: one it does not
     * know is refused 400, never ignored (a client that thinks it asked for a dry run must not act).
     */
    private Optional<String> authenticate(Exchange exchange, String... known) {
        Optional<String> user = authenticate(exchange);
        if (user.isEmpty()) {
            return user;
        }
        java.util.Set<String> allowed = java.util.Set.of(known);
        for (String name : query(exchange).keySet()) {
            if (!allowed.contains(name)) {
                reply(exchange, 400, error("unknown query parameter '" + name + "'"
                        + (allowed.isEmpty() ? "; this endpoint takes none" : "; this endpoint takes " + new java.util.TreeSet<>(allowed)), name));
                return Optional.empty();
            }
        }
        return user;
    }

    /** The request's query parameters, decoded; a repeated one keeps its last value. */
    private static Map<String, String> query(Exchange exchange) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), java.nio.charset.StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8);
            parameters.put(name, value);
        }
        return parameters;
    }

    public Optional<String> authenticate(Exchange exchange) {
        return identify(exchange, true);
    }

    /**
     * The user the bearer token names, taken from the Authorization header only (a token in a URL ends
     * up in logs, histories and referrers: refused, not read); answered 401 when there is none. A user
     * the catalog does not hold as Active reads nothing (403), unless {@code anyState} (GET /me, which
     * tells them why).
     */
    private Optional<String> identify(Exchange exchange, boolean activeOnly) {
        for (String name : query(exchange).keySet()) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("authorization") || lower.equals("access_token") || lower.equals("token")) {
                reply(exchange, 400, error("a token goes only in the Authorization header, never in the URL", name));
                return Optional.empty();
            }
        }
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<String> user = tokens.user(token);
        if (user.isEmpty()) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            reply(exchange, 401, error(token == null ? "no bearer token" : "unknown token", null));
            return user;
        }
        Actor actor = access.actor(user.get());
        if (activeOnly && actor.state() != dev.backupstate.model.UserState.ACTIVE) {
            reply(exchange, 403, error("user " + actor.name() + " is " + actor.state().label()
                    + ": only Active users may use the engine (GET /api/v1/me tells your state)", null));
            return Optional.empty();
        }
        if (!withinRate(exchange, user.get(), RateLimits.Kind.REQUESTS)) {
            return Optional.empty();
        }
        return user;
    }

    private static Map<String, String> error(String message, String field) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("error", message);
        if (field != null) {
            error.put("field", field);
        }
        return error;
    }

    public static void reply(Exchange exchange, int status, Object body) {
        // request headers would otherwise be echoed into the response (form fields among them)
        String authenticate = exchange.getMessage().getHeader("WWW-Authenticate", String.class);
        exchange.getMessage().removeHeaders("*");
        if (authenticate != null) {
            exchange.getMessage().setHeader("WWW-Authenticate", authenticate);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.toJson(body));
    }
}
