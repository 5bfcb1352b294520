package dev.backupstate.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.model.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * A request the broker could not have decided after every delivery attempt (the store down, say) is
 * parked by Artemis on a queue only the engine reads; from there it goes to the dead-letter queue,
 * which admins read, masked as everything the engine shows is masked ({@link Secrets}): an inline
 * kubeconfig or key is never kept where another person can read it. What cannot be read as a document
 * is kept as a note of its size, not as its bytes.
 */
public final class DeadLetters {

    /** The message's body, as it may be kept on the dead-letter queue. */
    public void mask(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String kept;
        try {
            JsonNode document = Json.yaml().readTree(body == null ? new byte[0] : body);
            if (document == null || !document.isContainerNode()) {
                throw new java.io.IOException("not a document");
            }
            maskTree(document);
            kept = Json.yaml().writeValueAsString(document);
        } catch (java.io.IOException | RuntimeException e) {
            kept = "# a message of " + (body == null ? 0 : body.length) + " bytes that is no document; not kept\n";
        }
        exchange.getMessage().setBody(kept.getBytes(StandardCharsets.UTF_8));
    }

    /** Masks, in place, every text value at any depth whose field is named like a secret; returns how many. */
    static int maskTree(JsonNode node) {
        int masked = 0;
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value.isTextual() && !value.asText().equals(Secrets.mask(name, value.asText()))) {
                    object.put(name, Secrets.MASK);
                    masked++;
                } else {
                    masked += maskTree(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                masked += maskTree(element);
            }
        }
        return masked;
    }
}
