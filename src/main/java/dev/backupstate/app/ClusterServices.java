package dev.backupstate.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/**
 * The cluster service that elects the leader, from {@code bse.leader.*}: {@code file} (the embedded
 * default: a lock file under {@code bse.leader.file-root}, for engines sharing a disk), {@code kubernetes}
 * (a coordination.k8s.io Lease, the usual 15 s / 10 s / 2 s), or {@code none} (one engine, no election).
 * Both are Camel's own.
 */
final class ClusterServices {

    private ClusterServices() {
    }

    /** The configured service, or null for none. */
    static CamelClusterService of(Settings settings, String member) {
        String kind = settings.get("bse.leader.cluster-service").trim();
        return switch (kind) {
            case "none" -> null;
            case "file" -> file(settings, member);
            case "kubernetes" -> kubernetes(settings, member);
            default -> throw new IllegalArgumentException("bse.leader.cluster-service: '" + kind + "' is not file, kubernetes or none");
        };
    }

    private static CamelClusterService file(Settings settings, String member) {
        String configured = settings.get("bse.leader.file-root").trim();
        Path root = configured.isEmpty() ? Path.of(settings.get("bse.data.directory")).resolve("leader") : Path.of(configured);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("bse.leader.file-root " + root + " cannot be made: " + e.getMessage(), e);
        }
        FileLockClusterService service = new FileLockClusterService();
        service.setId(member);
        service.setRoot(root.toString());
        service.setAcquireLockDelay(Long.parseLong(settings.get("bse.leader.acquire-delay-millis")), TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(Long.parseLong(settings.get("bse.leader.retry-millis")), TimeUnit.MILLISECONDS);
        return service;
    }

    private static CamelClusterService kubernetes(Settings settings, String member) {
        String kubeconfig = settings.get("bse.leader.kubeconfig").trim();
        Config config;
        try {
            // empty: the pod's own service account (in-cluster), as a replica on Kubernetes runs
            config = kubeconfig.isEmpty() ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)));
        } catch (IOException e) {
            throw new IllegalStateException("bse.leader.kubeconfig " + kubeconfig + " cannot be read: " + e.getMessage(), e);
        }
        // Camel's Lease manager looks in the client's default namespace (setKubernetesNamespace alone left it
        // null: "namespace cannot be null" on every round, and no replica ever led)
        String namespace = settings.get("bse.leader.namespace").trim();
        if (!namespace.isEmpty()) {
            config.setNamespace(namespace);
        }
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setNamespace(config.getNamespace());
        configuration.setKubernetesClient(new KubernetesClientBuilder().withConfig(config).build());
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setId(member);
        service.setPodName(member);
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesNamespace(config.getNamespace());
        service.setLeaseDurationMillis(Long.parseLong(settings.get("bse.leader.lease-millis")));
        service.setRenewDeadlineMillis(Long.parseLong(settings.get("bse.leader.renew-millis")));
        service.setRetryPeriodMillis(Long.parseLong(settings.get("bse.leader.retry-millis")));
        return service;
    }

    /** This replica's name in the election: bse.leader.member, else the pod's (HOSTNAME) or host's name and the process id. */
    static String member(Settings settings) {
        String configured = settings.get("bse.leader.member").trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if ("kubernetes".equals(settings.get("bse.leader.cluster-service").trim()) && host != null && !host.isBlank()) {
            // the Lease's holder is the pod, by its name
            return host;
        }
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "engine";
            }
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
