package dev.backupstate.cluster;

import dev.backupstate.model.Command;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.DiscoveryConfig;
import dev.backupstate.model.DiscoveryState;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.DiscoveryFailed;
import dev.backupstate.model.Observation.ShootsDiscovered;
import dev.backupstate.model.Request.DiscoverClusters;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.store.PendingCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import dev.backupstate.store.InFlight;

/**
 * Gardener discovery: the shoots of a project (in the Project's own namespace, spec.namespace) matching a label selector,
 * listed through the Gardener API with the configuration's kubeconfig; a discovered shoot's own
 * kubeconfig comes from Gardener's {@code shoots/adminkubeconfig} subresource, valid for a limited time
 * (renewed by RefreshClusters). The Gardener kubeconfig is kept like a cluster's, under "discovery/NAME".
 */
public final class Discovery {

    private final ClusterClients clients;
    private final ClusterProbes probes;
    private final Catalog catalog;
    private final Duration kubeconfigLifetime;
    private final Clock clock;
    /** When each configuration last ran (a row in the store: a new leader keeps the period); one not yet run runs on its first tick. */
    private final InFlight lastRun;

    public Discovery(ClusterClients clients, ClusterProbes probes, Catalog catalog, Duration kubeconfigLifetime, Clock clock,
                     InFlight lastRun) {
        this.lastRun = lastRun;
        this.clients = clients;
        this.probes = probes;
        this.catalog = catalog;
        this.kubeconfigLifetime = kubeconfigLifetime;
        this.clock = clock;
    }

    static String credentialKey(String config) {
        return "discovery/" + config;
    }

    /**
     * The project's namespace as Gardener set it: the Project's {@code spec.namespace} (garden-NAME, or
     * garden-NAME-xxxxx when Gardener chose it, or any garden- name the project was created with).
     */
    static String namespace(KubernetesClient garden, String project) {
        GenericKubernetesResource found = garden.genericKubernetesResources(AgentContract.PROJECT).withName(project).get();
        if (found == null) {
            throw new IllegalStateException("Gardener has no project " + project);
        }
        Object spec = found.getAdditionalProperties().get("spec");
        Object namespace = spec instanceof Map<?, ?> map ? map.get("namespace") : null;
        if (namespace == null || namespace.toString().isBlank()) {
            throw new IllegalStateException("project " + project + " has no namespace yet (phase "
                    + AgentContract.status(found, "phase") + ")");
        }
        return namespace.toString();
    }

    /** DISCOVER_SHOOTS: the names of the matching shoots, or why they could not be listed. */
    public Observation discover(Command.DiscoverShoots command) {
        String config = command.config().name();
        ran(config, clock.instant());
        String kubeconfig = command.kubeconfig();
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            clients.kubeconfigs().save(credentialKey(config), kubeconfig);
        }
        try {
            KubernetesClient garden = clients.client(credentialKey(config))
                    .orElseThrow(() -> new IllegalStateException("no Gardener kubeconfig is known"));
            String selector = command.config().labelSelector() == null ? "" : command.config().labelSelector();
            var options = new ListOptionsBuilder();
            if (!selector.isBlank()) {
                options.withLabelSelector(selector);
            }
            List<String> shoots = new ArrayList<>();
            String namespace;
            try {
                namespace = namespace(garden, command.config().project());
            } catch (IllegalStateException e) {
                return new DiscoveryFailed(config, e.getMessage());
            }
            List<String> hibernated = new ArrayList<>();
            for (GenericKubernetesResource shoot : garden.genericKubernetesResources(AgentContract.SHOOT)
                    .inNamespace(namespace).list(options.build()).getItems()) {
                if (shoot.getMetadata().getDeletionTimestamp() != null) {
                    // Gardener is deleting it: it matches no more, and its cluster becomes unmanaged
                    continue;
                }
                shoots.add(shoot.getMetadata().getName());
                if (hibernated(shoot)) {
                    hibernated.add(shoot.getMetadata().getName());
                }
            }
            return new ShootsDiscovered(config, shoots, hibernated);
        } catch (RuntimeException e) {
            return new DiscoveryFailed(config, "shoots cannot be listed: " + ClusterProbe.failed(config, e).cause());
        }
    }

    /**
     * Gardener's word that a shoot sleeps (pkg/apis/core/v1beta1/types_shoot.go at {@link AgentContract#GARDENER_SOURCE}):
     * {@code status.hibernated}, or {@code spec.hibernation.enabled} (asked for, its control plane going down).
     */
    @SuppressWarnings("unchecked")
    static boolean hibernated(GenericKubernetesResource shoot) {
        Object spec = shoot.getAdditionalProperties().get("spec");
        Object status = shoot.getAdditionalProperties().get("status");
        Object hibernation = spec instanceof java.util.Map<?, ?> map ? map.get("hibernation") : null;
        boolean asked = hibernation instanceof java.util.Map<?, ?> wanted && Boolean.TRUE.equals(wanted.get("enabled"));
        boolean asleep = status instanceof java.util.Map<?, ?> map && Boolean.TRUE.equals(map.get("hibernated"));
        return asked || asleep;
    }

    /** REFRESH_KUBECONFIG: a fresh admin kubeconfig for a discovered shoot, kept, then the cluster probed. */
    public Observation refresh(Command.RefreshKubeconfig command) {
        String cluster = command.cluster();
        String config = command.configName();
        DiscoveryConfig known = command.config();
        KubernetesClient garden = clients.client(credentialKey(config))
                .orElseThrow(() -> new IllegalStateException("no Gardener kubeconfig is known for " + config));
        String url = garden.getConfiguration().getMasterUrl().replaceAll("/$", "")
                + "/apis/core.gardener.cloud/v1beta1/namespaces/" + namespace(garden, known.project()) + "/shoots/" + cluster + "/adminkubeconfig";
        String answer = garden.raw(url, "POST", Map.of(
                "apiVersion", "authentication.gardener.cloud/v1alpha1", "kind", "AdminKubeconfigRequest",
                "spec", Map.of("expirationSeconds", kubeconfigLifetime.toSeconds())));
        if (answer == null) {
            throw new IllegalStateException("Gardener gave no admin kubeconfig for shoot " + cluster);
        }
        Map<?, ?> status = (Map<?, ?>) Serialization.unmarshal(answer, Map.class).get("status");
        if (status == null || status.get("kubeconfig") == null) {
            throw new IllegalStateException("Gardener's answer for shoot " + cluster + " holds no kubeconfig");
        }
        clients.kubeconfigs().save(cluster, new String(Base64.getDecoder().decode(status.get("kubeconfig").toString()), StandardCharsets.UTF_8));
        return probes.probe(cluster);
    }

    /** Configurations whose period has passed since their last run here: each is asked to run again. */
    public List<DiscoverClusters> due() {
        List<DiscoverClusters> due = new ArrayList<>();
        Instant now = clock.instant();
        for (var resource : catalog.all(ResourceKind.DISCOVERY_CONFIG)) {
            DiscoveryConfig config = (DiscoveryConfig) resource;
            Instant last = lastRun.get(InFlight.Kind.DISCOVERY_RUN, config.name()).map(InFlight.Mark::since).orElse(null);
            boolean idle = config.state() == DiscoveryState.SUCCESS || config.state() == DiscoveryState.FAILED;
            if (idle && (last == null || !now.isBefore(last.plus(Duration.ofMinutes(config.periodMinutes()))))) {
                ran(config.name(), now);
                due.add(new DiscoverClusters(config.name()));
            }
        }
        return due;
    }

    private void ran(String config, Instant at) {
        lastRun.put(new InFlight.Mark(InFlight.Kind.DISCOVERY_RUN, config, at, null, null));
    }
}
