package dev.backupstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backupstate.inbox.DocumentReader;
import dev.backupstate.inbox.Json;
import dev.backupstate.inbox.OperationDocument;
import dev.backupstate.inbox.OperationDocuments;
import dev.backupstate.model.Request;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The door's cost (issue 10): reading one operation document strictly, as every inbox does
 * ({@link DocumentReader}: UTF-8 check, SnakeYAML event pass for duplicates, tags, anchors and depth,
 * then Jackson's tree and the strict mapper), next to the baseline of reading it as the engine did
 * before: Jackson's YAML tree and a lenient mapping of its spec, checking nothing more.
 */
@State(Scope.Benchmark)
public class DocumentBenchmark {

    @Param({"yaml", "json"})
    public String format;

    private byte[] document;
    private final DocumentReader reader = new DocumentReader(1 << 20, 32);

    @Setup
    public void document() {
        String text = format.equals("yaml")
                ? """
                  apiVersion: backupstate.dev/v1
                  kind: CreateBackup
                  metadata: {requestId: nightly-2026-12-01, user: alice}
                  spec:
                    name: orders-nightly-20261201
                    cluster: prod-eu-1
                    location: team-a
                    namespaces: [orders, payments, shipping]
                    labelSelector: app=orders,tier=db
                  """
                : "{\"apiVersion\": \"backupstate.dev/v1\", \"kind\": \"CreateBackup\", \"metadata\": {\"requestId\": "
                  + "\"nightly-2026-12-01\", \"user\": \"alice\"}, \"spec\": {\"name\": \"orders-nightly-20261201\", "
                  + "\"cluster\": \"prod-eu-1\", \"location\": \"team-a\", \"namespaces\": [\"orders\", \"payments\", "
                  + "\"shipping\"], \"labelSelector\": \"app=orders,tier=db\"}}";
        document = text.getBytes(StandardCharsets.UTF_8);
        if (!(strict().event() instanceof Request.CreateBackup) || !(lenient() instanceof Request.CreateBackup)) {
            throw new IllegalStateException("benchmark document is wrong");
        }
    }

    @Benchmark
    public OperationDocument strict() {
        return OperationDocuments.parse(reader.read(document));
    }

    @Benchmark
    public Object lenient() {
        try {
            JsonNode root = Json.yaml().readTree(new String(document, StandardCharsets.UTF_8));
            return Json.yaml().treeToValue((ObjectNode) root.get("spec"), Request.CreateBackup.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
