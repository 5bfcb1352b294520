package dev.backupstate.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.observe.DomainMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * The REST inbox (DESIGN.md "Interfaces"): what routes/inbox-rest.camel.yaml calls for each endpoint.
 * Every call needs a bearer token of a configured user. POST /requests answers 202 with the outcome
 * when accepted, 409 when a rule refused, 400 for a malformed document, 413 for an oversized body.
 */
public final class RestApi {

    private final DecisionLoop loop;
    private final DomainMetrics metrics;
    private final Tokens tokens;
    private final Mode mode;
    private final int maxBodyBytes;
    private final Clock clock;

    public RestApi(DecisionLoop loop, DomainMetrics metrics, Tokens tokens, Mode mode, int maxBodyBytes, Clock clock) {
        this.loop = loop;
        this.metrics = metrics;
        this.tokens = tokens;
        this.mode = mode;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public void submit(Exchange exchange) {
        Optional<String> user = authenticate(exchange);
        if (user.isEmpty()) {
            return;
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data")) {
            // the HTTP server has taken the body apart as form fields; the document is gone
            metrics.unreadable(Source.REST);
            reply(exchange, 400, error("Content-Type " + contentType + " is a form, not a document: send it as "
                    + "application/yaml or application/json (curl: -H 'Content-Type: application/yaml')", "Content-Type"));
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            metrics.unreadable(Source.REST);
            reply(exchange, 400, error("the request body is empty: send an operation document", null));
            return;
        }
        if (body.length > maxBodyBytes) {
            metrics.unreadable(Source.REST);
            reply(exchange, 413, error("the body is " + body.length + " bytes; the limit is " + maxBodyBytes, null));
            return;
        }
        OperationDocument document;
        try {
            document = OperationDocuments.parse(new String(body, StandardCharsets.UTF_8));
        } catch (InvalidDocumentException e) {
            metrics.unreadable(Source.REST);
            reply(exchange, 400, error(e.getMessage(), e.field()));
            return;
        }
        if (document.user() != null && !document.user().equals(user.get())) {
            reply(exchange, 400, error("metadata.user: '" + document.user() + "' is not the user of the token ("
                    + user.get() + ")", "metadata.user"));
            return;
        }
        String requestId = document.requestId() != null ? document.requestId() : UUID.randomUUID().toString();
        Outcome outcome = loop.submit(new Envelope(requestId, user.get(), Source.REST, clock.instant(), document.event()));
        reply(exchange, outcome.accepted() ? 202 : 409, outcome);
    }

    public void outcome(Exchange exchange) {
        if (authenticate(exchange).isPresent()) {
            String requestId = exchange.getMessage().getHeader("requestId", String.class);
            Optional<Outcome> outcome = loop.store().outcome(requestId);
            reply(exchange, outcome.isPresent() ? 200 : 404,
                    outcome.isPresent() ? outcome.get() : error("no request " + requestId, null));
        }
    }

    public void resources(Exchange exchange) {
        if (authenticate(exchange).isPresent()) {
            kind(exchange).ifPresent(kind -> reply(exchange, 200, loop.catalog().all(kind).stream().map(RestApi::view).toList()));
        }
    }

    public void resource(Exchange exchange) {
        if (authenticate(exchange).isPresent()) {
            String name = exchange.getMessage().getHeader("name", String.class);
            kind(exchange).ifPresent(kind -> loop.catalog().find(ResourceRef.of(kind, name)).ifPresentOrElse(
                    found -> reply(exchange, 200, view(found)),
                    () -> reply(exchange, 404, error("no " + kind.path() + "/" + name, null))));
        }
    }

    public void matrix(Exchange exchange) {
        if (authenticate(exchange).isPresent()) {
            Map<String, Object> kinds = new LinkedHashMap<>();
            for (ResourceKind kind : ResourceKind.values()) {
                if (kind.existsIn(mode)) {
                    kinds.put(kind.path(), loop.catalog().countByState(kind));
                }
            }
            reply(exchange, 200, Map.of("mode", mode.label(), "resources", kinds));
        }
    }

    public void audit(Exchange exchange) {
        if (authenticate(exchange).isEmpty()) {
            return;
        }
        String resource = exchange.getMessage().getHeader("resource", String.class);
        String requestId = exchange.getMessage().getHeader("requestId", String.class);
        if (requestId != null) {
            reply(exchange, 200, loop.store().auditOfRequest(requestId));
        } else if (resource != null && resource.contains("/")) {
            String[] parts = resource.split("/", 2);
            try {
                reply(exchange, 200, loop.store().audit(ResourceRef.of(ResourceKind.fromPath(parts[0]), parts[1])));
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, error(e.getMessage(), "resource"));
            }
        } else {
            reply(exchange, 400, error("give ?resource=KIND/NAME or ?requestId=ID", "resource"));
        }
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

    public Optional<String> authenticate(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<String> user = tokens.user(token);
        if (user.isEmpty()) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            reply(exchange, 401, error(token == null ? "no bearer token" : "unknown token", null));
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
