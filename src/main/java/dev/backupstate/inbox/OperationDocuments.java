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
import java.util.Map;
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
    private static final Map<String, Class<? extends Event>> KINDS = discoverKinds();

    private OperationDocuments() {
    }

    /** Every document kind and the event it becomes, by name. */
    public static Map<String, Class<? extends Event>> kinds() {
        return KINDS;
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

    /** Parses a YAML or JSON document. */
    public static OperationDocument parse(String text) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException(null, "malformed YAML/JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage(), e);
        }
        return parse(root);
    }

    public static OperationDocument parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidDocumentException(null, "a document is a mapping with apiVersion, kind, metadata and spec");
        }
        String apiVersion = text(root, "apiVersion", false);
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            throw new InvalidDocumentException("apiVersion", "'" + apiVersion + "' is not " + API_VERSION);
        }
        String kind = text(root, "kind", true);
        Class<? extends Event> type = KINDS.get(kind);
        if (type == null) {
            throw new InvalidDocumentException("kind", "unknown kind '" + kind + "'; known kinds: "
                    + String.join(", ", KINDS.keySet()));
        }
        JsonNode metadata = root.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isObject()) {
            throw new InvalidDocumentException("metadata", "must be a mapping with requestId and user");
        }
        String requestId = metadata.isObject() ? text(metadata, "requestId", false, "metadata.") : null;
        String user = metadata.isObject() ? text(metadata, "user", false, "metadata.") : null;
        JsonNode spec = root.path("spec");
        if (!spec.isObject()) {
            throw new InvalidDocumentException("spec", spec.isMissingNode() ? "is required" : "must be a mapping");
        }
        return new OperationDocument(requestId, user, event(type, (ObjectNode) spec));
    }

    /** Builds one event from its spec, turning every Jackson or model complaint into a named field. */
    public static <E extends Event> E event(Class<E> type, ObjectNode spec) {
        try {
            return Json.yaml().treeToValue(spec, type);
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
        } catch (JsonMappingException e) {
            throw new InvalidDocumentException(path(e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException("spec", e.getOriginalMessage(), e);
        }
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

    private static String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, "");
    }

    private static String text(JsonNode node, String field, boolean required, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidDocumentException(prefix + field, "is required");
            }
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new InvalidDocumentException(prefix + field, "must be a string");
        }
        return value.asText();
    }
}
