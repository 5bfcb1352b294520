package dev.backupstate.sandbox;

import dev.backupstate.cluster.AgentContract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One application cluster of the sandbox: a Kubernetes API server in this JVM (fabric8's mock server in
 * CRUD mode, over HTTPS, answering only its own bearer token). It can be taken down and brought back on
 * the same address with its objects, made slow, or given another token (the old kubeconfig is refused).
 * Tests use it as their Kubernetes peer; the sandbox runs two of them with a simulated agent.
 */
public final class SandboxCluster implements AutoCloseable {

    // the mock server logs each connection through java.util.logging; held so the level sticks
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final String name;
    private final ApiServerGuard guard;
    private String token = UUID.randomUUID().toString();
    private KubernetesMockServer server;
    private int port;
    private KubernetesClient admin;

    public SandboxCluster(String name) {
        this.name = name;
        this.guard = new ApiServerGuard(new KubernetesCrudDispatcher(AgentContract.ALL), token);
        up();
    }

    public String name() {
        return name;
    }

    /** A kubeconfig that reaches this cluster with its current token. */
    public String kubeconfig() {
        return kubeconfig(token);
    }

    /** A kubeconfig for this cluster's address with any token (a wrong one gets 401). */
    public String kubeconfig(String bearerToken) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: https://127.0.0.1:%2$d
                    insecure-skip-tls-verify: true
                users:
                - name: %1$s-admin
                  user:
                    token: %3$s
                contexts:
                - name: %1$s
                  context: {cluster: %1$s, user: %1$s-admin}
                current-context: %1$s
                """.formatted(name, port, bearerToken);
    }

    /** This cluster's own client, as its agent (or a test playing it) uses it. */
    public synchronized KubernetesClient client() {
        if (admin == null) {
            Config config = Config.fromKubeconfig(kubeconfig());
            // a cluster that is down answers at once, as to a pod on it: no client-side retries with back-off,
            // which would hold the agents' one thread for a minute
            config.setRequestRetryBackoffLimit(0);
            config.setConnectionTimeout(2000);
            config.setRequestTimeout(5000);
            admin = new KubernetesClientBuilder().withConfig(config).build();
        }
        return admin;
    }

    /**
     * The agent (Stork) in {@code namespace} as the probe sees a running one: the leader-election Lease
     * it holds, renewed now. The sandbox's simulated Stork holds it for a day (it has no process to renew
     * it); one that is not running left a Lease renewed an hour ago for Stork's 15 s.
     */
    public void installAgent(String namespace, String lease, boolean running) {
        client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(existing -> existing.update());
        java.time.Instant renewed = running ? java.time.Instant.now() : java.time.Instant.now().minusSeconds(3600);
        io.fabric8.kubernetes.api.model.coordination.v1.Lease held = new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata().withName(lease).withNamespace(namespace).endMetadata()
                .withNewSpec().withHolderIdentity("sandbox-stork").withLeaseDurationSeconds(running ? 86_400 : 15)
                .withAcquireTime(renewed.atZone(java.time.ZoneOffset.UTC))
                .withRenewTime(renewed.atZone(java.time.ZoneOffset.UTC)).endSpec().build();
        client().leases().inNamespace(namespace).resource(held).createOr(existing -> existing.update());
    }

    public void removeAgent(String namespace, String lease) {
        client().leases().inNamespace(namespace).withName(lease).delete();
    }

    /**
     * Gardener's side: a Shoot in the project's namespace with its labels, whose admin kubeconfig (the
     * adminkubeconfig subresource) reaches {@code shootCluster}.
     */
    /**
     * Serves a Gardener Project whose shoots live in {@code namespace}, as Gardener's Project has it
     * (cluster-scoped, spec.namespace; pkg/apis/core/v1beta1/types_project.go, {@link AgentContract#GARDENER_SOURCE}).
     */
    public void serveProject(String project, String namespace) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion("core.gardener.cloud/v1beta1");
        resource.setKind("Project");
        resource.setMetadata(new ObjectMetaBuilder().withName(project).build());
        resource.setAdditionalProperty("spec", Map.of("namespace", namespace));
        resource.setAdditionalProperty("status", Map.of("phase", "Ready"));
        client().genericKubernetesResources(AgentContract.PROJECT).resource(resource).createOr(existing -> existing.update());
    }

    /** The namespace of a served project; a project not served yet is served in garden-PROJECT. */
    private String projectNamespace(String project) {
        GenericKubernetesResource found = client().genericKubernetesResources(AgentContract.PROJECT).withName(project).get();
        if (found == null) {
            serveProject(project, "garden-" + project);
            return "garden-" + project;
        }
        return ((Map<?, ?>) found.getAdditionalProperties().get("spec")).get("namespace").toString();
    }

    public void serveShoot(String project, SandboxCluster shootCluster, Map<String, String> labels) {
        String namespace = projectNamespace(project);
        GenericKubernetesResource shoot = new GenericKubernetesResource();
        shoot.setApiVersion("core.gardener.cloud/v1beta1");
        shoot.setKind("Shoot");
        shoot.setMetadata(new ObjectMetaBuilder().withName(shootCluster.name()).withNamespace(namespace).withLabels(labels).build());
        shoot.setAdditionalProperty("spec", Map.of("purpose", "production"));
        client().genericKubernetesResources(AgentContract.SHOOT).inNamespace(namespace).resource(shoot).createOr(existing -> existing.update());
        guard.adminKubeconfig(shootCluster.name(), shootCluster::kubeconfig);
    }

    /**
     * Gardener hibernates a shoot ({@code spec.hibernation.enabled}, then {@code status.hibernated}) or wakes
     * it; the shoot's own API server goes down or comes back with it.
     */
    public void hibernateShoot(String project, SandboxCluster shootCluster, boolean hibernated) {
        client().genericKubernetesResources(AgentContract.SHOOT).inNamespace(projectNamespace(project)).withName(shootCluster.name())
                .edit(found -> {
                    found.setAdditionalProperty("spec", Map.of("purpose", "production", "hibernation", Map.of("enabled", hibernated)));
                    found.setAdditionalProperty("status", Map.of("hibernated", hibernated));
                    return found;
                });
        if (hibernated) {
            shootCluster.down();
        } else {
            shootCluster.up();
        }
    }

    /** Gardener starts deleting a shoot: it carries a finalizer of Gardener's, so it stays, with a deletion time. */
    public void deleteShoot(String project, String shoot) {
        var shoots = client().genericKubernetesResources(AgentContract.SHOOT).inNamespace(projectNamespace(project));
        shoots.withName(shoot).edit(found -> {
            found.getMetadata().setFinalizers(List.of("gardener"));
            return found;
        });
        shoots.withName(shoot).delete();
    }

    /** Changes a shoot's labels (it may stop or start matching a discovery's selector). */
    public void relabelShoot(String project, String shoot, Map<String, String> labels) {
        client().genericKubernetesResources(AgentContract.SHOOT).inNamespace(projectNamespace(project)).withName(shoot)
                .edit(found -> {
                    found.getMetadata().setLabels(new HashMap<>(labels));
                    return found;
                });
    }

    /** Takes the API server down: connections are refused until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /** Starts the API server (again, on the same port, with the same objects). */
    public synchronized void up() {
        if (server != null) {
            return;
        }
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), guard, true);
        server.init(InetAddress.getLoopbackAddress(), port);
        port = server.getPort();
    }

    /** How many requests the API server has answered (benchmarks count the engine's API calls with it). */
    public synchronized int requestCount() {
        return server == null ? 0 : server.getRequestCount();
    }

    public synchronized boolean isUp() {
        return server != null;
    }

    /** Answers every request only after {@code delay} (zero: at once). */
    public void slow(Duration delay) {
        guard.delay(delay);
    }

    /** Rotates the token: kubeconfigs handed out before are refused with 401. */
    public synchronized void rotateToken() {
        token = UUID.randomUUID().toString();
        guard.token(token);
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
        down();
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }
}
