package dev.backupstate.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.model.Event;
import dev.backupstate.model.InvalidFieldException;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Request;
import dev.backupstate.model.OperationRoles;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads operation documents (DESIGN.md "Operation documents"), the same through every inbox:
 * {@code apiVersion: backupstate.dev/v1}, {@code kind} (an operation or observation name),
 * {@code metadata: {requestId, user}} and {@code spec}. A document is either read whole or refused
 * with the field at fault; nothing is guessed.
 */
public final class OperationDocuments {

    public static final String API_VERSION = "backupstate.dev/v1";
    /** The top-level fields of a document, and of its metadata: nothing else is accepted. */
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("requestId", "user");
    /** A request id is a string as sent: letters, digits and . _ : - , at most 128. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Map<String, Class<? extends Event>> KINDS = discoverKinds();
    private static final Map<String, Class<? extends Event>> PEOPLES_KINDS = discoverPeoplesKinds();

    private OperationDocuments() {
    }

    /** Every event kind a scenario may name, by name: requests and observations alike. */
    public static Map<String, Class<? extends Event>> kinds() {
        return KINDS;
    }

    /** The kinds a person may send through an inbox: requests, less the engine's own events. */
    public static Map<String, Class<? extends Event>> peoplesKinds() {
        return PEOPLES_KINDS;
    }

    private static Map<String, Class<? extends Event>> discoverKinds() {
        Map<String, Class<? extends Event>> kinds = new TreeMap<>();
        for (Class<?> type : Request.class.getPermittedSubclasses()) {
            kinds.put(type.getSimpleName(), type.asSubclass(Event.class));
        }
        for (Class<?> type : Observation.class.getPermittedSubclasses()) {
            kinds.put(type.getSimpleName(), type.asSubclass(Event.class));
        }
        return java.util.Collections.unmodifiableMap(kinds);
    }

    private static Map<String, Class<? extends Event>> discoverPeoplesKinds() {
        Map<String, Class<? extends Event>> kinds = new TreeMap<>();
        KINDS.forEach((name, type) -> {
            if (OperationRoles.fromPeople(type)) {
                kinds.put(name, type);
            }
        });
        return java.util.Collections.unmodifiableMap(kinds);
    }

    /** Parses a YAML or JSON document a person sent (tests and tools; inboxes go through DocumentIntake). */
    public static OperationDocument parse(String text) {
        return parse(new DocumentReader(Integer.MAX_VALUE, 64).read(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A document a person sent: only the kinds people may send. */
    public static OperationDocument parse(JsonNode root) {
        return parse(root, PEOPLES_KINDS);
    }

    /** A scenario's event (rules/scenarios, written by ops staff): any kind, observations too. */
    public static OperationDocument parseScenario(JsonNode root) {
        return parse(root, KINDS);
    }

    private static OperationDocument parse(JsonNode root, Map<String, Class<? extends Event>> allowed) {
        if (root == null || !root.isObject()) {
            throw new InvalidDocumentException(null, "a document is a mapping with apiVersion, kind, metadata and spec");
        }
        onlyFields(root, TOP_LEVEL, "");
        String apiVersion = text(root, "apiVersion", false, "");
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            throw new InvalidDocumentException("apiVersion", "'" + apiVersion + "' is not " + API_VERSION);
        }
        String kind = text(root, "kind", true, "");
        Class<? extends Event> type = allowed.get(kind);
        if (type == null) {
            throw new InvalidDocumentException("kind", unknownKind(kind, allowed));
        }
        JsonNode metadata = root.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isObject()) {
            throw new InvalidDocumentException("metadata", "must be a mapping with requestId and user");
        }
        String requestId = null;
        String user = null;
        if (metadata.isObject()) {
            onlyFields(metadata, METADATA, "metadata.");
            requestId = text(metadata, "requestId", false, "metadata.");
            if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
                throw new InvalidDocumentException("metadata.requestId", "'" + requestId + "' is not a request id "
                        + "(letters, digits, '.', '_', ':' and '-', starting with a letter or digit, at most 128)");
            }
            user = text(metadata, "user", false, "metadata.");
        }
        JsonNode spec = root.path("spec");
        if (!spec.isObject()) {
            throw new InvalidDocumentException("spec", spec.isMissingNode() ? "is required" : "must be a mapping");
        }
        return new OperationDocument(requestId, user, event(type, (ObjectNode) spec));
    }

    private static String unknownKind(String kind, Map<String, Class<? extends Event>> allowed) {
        Class<? extends Event> known = KINDS.get(kind);
        if (known != null && Observation.class.isAssignableFrom(known)) {
            return "'" + kind + "' is an observation: only the engine reports observations, no inbox takes them";
        }
        if (known != null) {
            return "'" + kind + "' is the engine's own event: no inbox takes it";
        }
        return "unknown kind '" + kind + "'; known kinds: " + String.join(", ", allowed.keySet());
    }

    private static void onlyFields(JsonNode node, Set<String> known, String prefix) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new InvalidDocumentException(prefix + field, "unknown field; "
                        + (prefix.isEmpty() ? "a document" : prefix.substring(0, prefix.length() - 1)) + " has "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        });
    }

    /** Builds one event from its spec, turning every Jackson or model complaint into a named field. */
    public static <E extends Event> E event(Class<E> type, ObjectNode spec) {
        try {
            return Json.documents().treeToValue(spec, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidFieldException) {
                InvalidFieldException invalid = (InvalidFieldException) cause;
                throw new InvalidDocumentException(invalid.field(), cause.getMessage().substring(
                        invalid.field().length() + 2), cause);
            }
            throw new InvalidDocumentException("spec", String.valueOf(cause == null ? e.getMessage() : cause.getMessage()), e);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidDocumentException(path(e), "unknown field; " + type.getSimpleName() + " has "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")), e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            // Jackson's own words name a Java class ("Cannot construct instance of java.util.ArrayList"):
            // say what the field takes, in the document's terms
            String expected = e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException ? null : expected(e.getTargetType());
            throw new InvalidDocumentException(path(e), expected != null ? expected : e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            throw new InvalidDocumentException(path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException("spec", e.getOriginalMessage(), e);
        }
    }

    /** What a field of this Java type takes, as a person writes it in a document (null: let Jackson say). */
    static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "expected a list ([a, b]), not a single value";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "expected a mapping ({key: value})";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "expected true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "expected a whole number";
        }
        if (type == String.class) {
            return "expected a text, not a list or a mapping";
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder("spec");
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String text(JsonNode node, String field, boolean required, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidDocumentException(prefix + field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidDocumentException(prefix + field, "must be a string"
                    + (value.isNumber() ? " (quote it: '" + value.asText() + "' is read as a number)" : ""));
        }
        return value.asText();
    }
}
