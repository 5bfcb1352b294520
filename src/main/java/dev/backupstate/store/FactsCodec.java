package dev.backupstate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts a decision was given, as its audit record keeps them (issue 13: replay): each fact with its
 * type. Only the engine's own model records are read back (no other class is ever loaded from a row);
 * the envelope is kept without its event, which is a fact of its own, and joined to it again on reading.
 * A kubeconfig given inline (AddCluster, CreateDiscoveryConfig) is not kept: the outbox drops it once
 * used, and the audit must not keep it either; a reference (secret:, file:) is kept, and no rule reads
 * the text, so the event decides alike without it.
 */
final class FactsCodec {

    private static final String MODEL = "dev.backupstate.model.";
    private static final String KUBECONFIG = "kubeconfig";
    static final String NOT_KEPT = "(inline-kubeconfig-not-kept)";
    /** Records write what they derive too (an actor's "engine"); read back, only their components count. */
    private static final com.fasterxml.jackson.databind.ObjectMapper READER = Json.json().copy()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private FactsCodec() {
    }

    static String write(List<Object> facts) {
        ArrayNode all = Json.json().createArrayNode();
        for (Object fact : facts) {
            ObjectNode entry = all.addObject();
            entry.put("type", fact.getClass().getName());
            if (fact instanceof Envelope envelope) {
                ObjectNode value = entry.putObject("value");
                value.put("requestId", envelope.requestId());
                value.put("user", envelope.user());
                value.put("source", envelope.source().name());
                value.put("receivedAt", envelope.receivedAt().toString());
            } else {
                JsonNode value = Json.json().valueToTree(fact);
                if (value instanceof ObjectNode fields && fields.path(KUBECONFIG).isTextual() && !reference(fields.path(KUBECONFIG).asText())) {
                    fields.put(KUBECONFIG, NOT_KEPT);
                }
                entry.set("value", value);
            }
        }
        return all.toString();
    }

    static List<Object> read(String json) {
        try {
            JsonNode all = READER.readTree(json);
            List<Object> facts = new ArrayList<>();
            Event event = null;
            JsonNode envelope = null;
            for (JsonNode entry : all) {
                String type = entry.path("type").asText();
                if (type.equals(Envelope.class.getName())) {
                    envelope = entry.path("value");
                    facts.add(null); // its place, filled below
                    continue;
                }
                Object fact = READER.treeToValue(entry.path("value"), modelRecord(type));
                if (fact instanceof Event found && event == null) {
                    event = found;
                }
                facts.add(fact);
            }
            if (envelope != null) {
                Envelope joined = new Envelope(envelope.path("requestId").asText(null), envelope.path("user").asText(),
                        Source.valueOf(envelope.path("source").asText()), Instant.parse(envelope.path("receivedAt").asText()), event);
                facts.replaceAll(fact -> fact == null ? joined : fact);
            }
            return facts;
        } catch (JsonProcessingException | ClassNotFoundException e) {
            throw new IllegalStateException("the facts of an audit record cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean reference(String kubeconfig) {
        return dev.backupstate.model.Secrets.reference(kubeconfig);
    }

    private static Class<?> modelRecord(String type) throws ClassNotFoundException {
        if (!type.startsWith(MODEL)) {
            throw new ClassNotFoundException(type + " is not one of the engine's model types");
        }
        Class<?> found = Class.forName(type, false, FactsCodec.class.getClassLoader());
        if (!found.isRecord()) {
            throw new ClassNotFoundException(type + " is not a record");
        }
        return found;
    }
}
