package dev.backupstate.inbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Turns the bytes a person sent into a tree, guessing nothing: UTF-8 text only, one document, at
 * most {@code maxBytes} and {@code maxDepth} levels, no duplicate keys, and in YAML no tags, anchors
 * or aliases (a tag could name a Java type, an alias could smuggle one value into many fields). Each
 * refusal names the problem and, where there is one, the field. The same limits hold for every inbox.
 */
public final class DocumentReader {

    private final int maxBytes;
    private final int maxDepth;
    private final ObjectMapper json;
    private final ObjectMapper yaml = Json.yaml();

    public DocumentReader(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build();
        this.json = JsonMapper.builder(factory).build();
    }

    public int maxBytes() {
        return maxBytes;
    }

    public JsonNode read(byte[] content) {
        if (content == null || content.length == 0) {
            throw new InvalidDocumentException(null, "the document is empty: send one operation document (YAML or JSON)");
        }
        if (content.length > maxBytes) {
            throw new DocumentTooLargeException(content.length, maxBytes);
        }
        String text = text(content);
        if (text.isBlank()) {
            throw new InvalidDocumentException(null, "the document is empty: send one operation document (YAML or JSON)");
        }
        return looksLikeJson(text) ? readJson(text) : readYaml(text);
    }

    /** JSON with quoted keys is read as JSON (a YAML flow mapping with bare keys is YAML). */
    private static boolean looksLikeJson(String text) {
        String trimmed = text.stripLeading();
        if (!trimmed.startsWith("{")) {
            return false;
        }
        String rest = trimmed.substring(1).stripLeading();
        return rest.startsWith("\"") || rest.startsWith("}");
    }

    private JsonNode readJson(String text) {
        try (JsonParser parser = json.createParser(text)) {
            JsonNode root = json.readTree(parser);
            if (parser.nextToken() != null) {
                throw new InvalidDocumentException(null, "malformed JSON at line " + parser.currentLocation().getLineNr()
                        + ": more than one document; send one per message or file");
            }
            return root;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message.startsWith("Duplicate field")) {
                throw new InvalidDocumentException(null, "duplicate key at line " + e.getLocation().getLineNr() + ": "
                        + message.replace("Duplicate field", "the key"), e);
            }
            if (message.contains("nesting depth")) {
                throw nestedTooDeep();
            }
            throw new InvalidDocumentException(null, "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + message, e);
        } catch (IOException e) {
            throw new InvalidDocumentException(null, "the document cannot be read: " + e.getMessage(), e);
        }
    }

    private JsonNode readYaml(String text) {
        checkYamlEvents(text);
        try {
            return yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException(null, "malformed YAML at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** One pass over the YAML events: what Jackson would quietly accept is refused here, with its place. */
    private void checkYamlEvents(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(maxBytes);
        Deque<Level> levels = new ArrayDeque<>();
        int documents = 0;
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                int line = event.getStartMark() == null ? 0 : event.getStartMark().getLine() + 1;
                if (event instanceof DocumentStartEvent && ++documents > 1) {
                    throw new InvalidDocumentException(null, "line " + line + ": a second document; send one per message or file");
                }
                if (event instanceof AliasEvent alias) {
                    throw new InvalidDocumentException(path(levels), "line " + line + ": YAML aliases (*" + alias.getAnchor()
                            + ") are not accepted; write the value out");
                }
                if (event instanceof NodeEvent node && node.getAnchor() != null) {
                    throw new InvalidDocumentException(path(levels), "line " + line + ": YAML anchors (&" + node.getAnchor()
                            + ") are not accepted");
                }
                String tag = event instanceof ScalarEvent scalar ? scalar.getTag()
                        : event instanceof CollectionStartEvent collection ? collection.getTag() : null;
                if (tag != null) {
                    throw new InvalidDocumentException(path(levels), "line " + line + ": YAML tags (" + tag
                            + ") are not accepted; a document is plain mappings, lists and values");
                }
                step(event, levels, line);
            }
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            throw new InvalidDocumentException(null, "malformed YAML" + where + ": " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new InvalidDocumentException(null, "malformed YAML: " + e.getMessage(), e);
        }
    }

    /** Tracks depth, the path for messages, and the keys of each mapping (duplicates refused). */
    private void step(Event event, Deque<Level> levels, int line) {
        Level current = levels.peek();
        if (event instanceof CollectionStartEvent) {
            String name = current == null ? null : current.childName();
            if (current != null) {
                current.valueDone();
            }
            levels.push(new Level(event instanceof MappingStartEvent, name));
            if (levels.size() > maxDepth) {
                throw nestedTooDeep();
            }
        } else if (event.is(Event.ID.MappingEnd) || event.is(Event.ID.SequenceEnd)) {
            levels.pop();
        } else if (event instanceof ScalarEvent scalar && current != null) {
            if (current.mapping && current.expectingKey) {
                if (!current.keys.add(scalar.getValue())) {
                    throw new InvalidDocumentException(path(levels, scalar.getValue()), "line " + line
                            + ": duplicate key '" + scalar.getValue() + "'");
                }
                current.key = scalar.getValue();
                current.expectingKey = false;
            } else {
                current.valueDone();
            }
        }
    }

    private InvalidDocumentException nestedTooDeep() {
        return new InvalidDocumentException(null, "the document is nested deeper than " + maxDepth
                + " levels (bse.documents.max-depth)");
    }

    private static String path(Deque<Level> levels) {
        return path(levels, null);
    }

    private static String path(Deque<Level> levels, String last) {
        StringBuilder path = new StringBuilder();
        levels.descendingIterator().forEachRemaining(level -> {
            if (level.name != null) {
                path.append(path.length() == 0 ? "" : ".").append(level.name);
            }
        });
        Level current = levels.peek();
        String tail = last != null ? last : current != null && current.mapping && !current.expectingKey ? current.key : null;
        if (tail != null) {
            path.append(path.length() == 0 ? "" : ".").append(tail);
        }
        return path.length() == 0 ? null : path.toString();
    }

    private static String text(byte[] content) {
        for (byte b : content) {
            if (b == 0) {
                throw new InvalidDocumentException(null, "not a YAML or JSON document: the content is binary");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDocumentException(null, "not a YAML or JSON document: the content is not UTF-8 text");
        }
    }

    /** One open mapping or list while the events are walked. */
    private static final class Level {
        final boolean mapping;
        final String name;
        final Set<String> keys = new HashSet<>();
        boolean expectingKey = true;
        String key;

        Level(boolean mapping, String name) {
            this.mapping = mapping;
            this.name = name;
        }

        String childName() {
            return mapping ? key : null;
        }

        void valueDone() {
            if (mapping) {
                expectingKey = true;
            }
        }
    }
}
