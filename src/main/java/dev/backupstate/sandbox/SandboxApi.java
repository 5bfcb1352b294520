package dev.backupstate.sandbox;

import dev.backupstate.inbox.RestApi;
import dev.backupstate.model.Observation.ClusterProbed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The sandbox operations a walk-through needs, over REST (routes/sandbox.camel.yaml): see the sandbox,
 * take a cluster down and bring it back (probed at once, so the engine knows before the answer), and
 * label a namespace so its backups end in Partial Success or Failure. Same bearer tokens as the API.
 */
public final class SandboxApi {

    private final RestApi rest;
    private final Sandbox sandbox;

    /** {@code sandbox} null: the engine runs without one, and these calls answer 404 saying so. */
    public SandboxApi(RestApi rest, Sandbox sandbox) {
        this.rest = rest;
        this.sandbox = sandbox;
    }

    public void describe(Exchange exchange) {
        if (ready(exchange)) {
            Map<String, Object> view = new LinkedHashMap<>();
            Map<String, Object> clusters = new LinkedHashMap<>();
            sandbox.clusters().forEach((name, cluster) -> clusters.put(name, cluster.isUp() ? "up" : "down"));
            view.put("clusters", clusters);
            view.put("objectStore", sandbox.objects().endpoint().toString());
            view.put("bucket", Sandbox.BUCKET);
            view.put("objects", sandbox.objectKeys());
            RestApi.reply(exchange, 200, view);
        }
    }

    public void down(Exchange exchange) {
        cluster(exchange).ifPresent(cluster -> {
            cluster.down();
            answer(exchange, cluster.name());
        });
    }

    public void up(Exchange exchange) {
        cluster(exchange).ifPresent(cluster -> {
            cluster.up();
            answer(exchange, cluster.name());
        });
    }

    public void outcome(Exchange exchange) {
        Optional<SandboxCluster> cluster = cluster(exchange);
        if (cluster.isEmpty()) {
            return;
        }
        String outcome = exchange.getMessage().getHeader("outcome", String.class);
        if (!List.of("Successful", "PartialSuccess", "Failed").contains(outcome)) {
            RestApi.reply(exchange, 400, Map.of("error", "outcome must be Successful, PartialSuccess or Failed", "field", "outcome"));
            return;
        }
        String namespace = exchange.getMessage().getHeader("namespace", String.class);
        sandbox.outcome(cluster.get().name(), namespace, outcome);
        RestApi.reply(exchange, 200, Map.of("cluster", cluster.get().name(), "namespace", namespace, "outcome", outcome));
    }

    /**
     * A sandbox cluster's kubeconfig, for adding it as an operator would (`bse cluster add NAME
     * --kubeconfig-file FILE`): the sandbox's own simulated API server and token, admins only.
     */
    public void kubeconfig(Exchange exchange) {
        cluster(exchange).ifPresent(cluster -> {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/yaml");
            exchange.getMessage().setBody(cluster.kubeconfig());
        });
    }

    private void answer(Exchange exchange, String cluster) {
        ClusterProbed probed = sandbox.probe(cluster);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cluster", cluster);
        view.put("probe", probed.observed().label());
        view.put("cause", probed.cause());
        RestApi.reply(exchange, 200, view);
    }

    private Optional<SandboxCluster> cluster(Exchange exchange) {
        if (!ready(exchange)) {
            return Optional.empty();
        }
        String name = exchange.getMessage().getHeader("cluster", String.class);
        Optional<SandboxCluster> cluster = sandbox.cluster(name);
        if (cluster.isEmpty()) {
            RestApi.reply(exchange, 404, Map.of("error", "no sandbox cluster " + name + "; there are " + sandbox.clusters().keySet()));
        }
        return cluster;
    }

    private boolean ready(Exchange exchange) {
        if (rest.admin(exchange).isEmpty()) {
            return false;
        }
        if (sandbox == null) {
            RestApi.reply(exchange, 404, Map.of("error", "the sandbox is not running (bse.sandbox.enabled=false)"));
            return false;
        }
        return true;
    }
}
