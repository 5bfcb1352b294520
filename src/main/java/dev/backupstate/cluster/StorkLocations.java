package dev.backupstate.cluster;

import dev.backupstate.model.BackupLocation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The Stork BackupLocation an ApplicationBackup or ApplicationRestore names, written on the cluster
 * before the first one that needs it (Federated: before its validation), in Stork's shape (pkg/apis/stork/v1alpha1/backuplocation.go
 * at {@link AgentContract#STORK_SOURCE}): top-level {@code location} with {@code type}, {@code path}
 * (the bucket), {@code s3Config} (endpoint as host[:port], region, disableSSL) and {@code secretConfig},
 * the name of a Secret beside it holding {@code accessKeyID} and {@code secretAccessKey}, the keys Stork's
 * getMergedS3Config reads. The keys go only into that Secret: never into the catalog, an outcome or a log.
 * Stork's BackupLocation has no prefix: Stork lays backups out under the location's namespace.
 */
public final class StorkLocations {

    private final ClusterClients clients;
    private final String namespace;
    private final Function<String, AwsCredentials> keys;
    private final boolean classic;

    /**
     * {@code keys}: a location's credentials reference resolved to its keys, as the bucket side resolves
     * it (Classic); {@code classic}: whether locations carry keys, or go with the cluster's own identity.
     */
    public StorkLocations(ClusterClients clients, String namespace, Function<String, AwsCredentials> keys, boolean classic) {
        this.clients = clients;
        this.namespace = namespace;
        this.keys = keys;
        this.classic = classic;
    }

    /**
     * The BackupLocation of {@code location} on {@code cluster} (and in Classic mode its Secret), created
     * or brought up to date; a sync under way there ({@code location.sync}) is left on.
     */
    public void ensure(String cluster, BackupLocation location) {
        write(cluster, location, null);
    }

    /** {@code location.sync} set on the cluster's BackupLocation: Stork there syncs the bucket while it is on. */
    public void sync(String cluster, BackupLocation location, boolean on) {
        write(cluster, location, on);
    }

    private void write(String cluster, BackupLocation location, Boolean sync) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        // written only when different: this runs before every backup and restore
        String secretName = null;
        if (classic && location.credentials() != null) {
            secretName = secretName(location);
            Secret wantedKeys = secret(location, namespace, secretName, keys.apply(location.credentials()));
            Secret existingKeys = client.secrets().inNamespace(namespace).withName(secretName).get();
            if (existingKeys == null || !wantedKeys.getData().equals(existingKeys.getData())) {
                client.secrets().inNamespace(namespace).resource(wantedKeys).createOr(existing -> existing.update());
            }
        }
        var locations = client.genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(namespace);
        GenericKubernetesResource existing = locations.withName(location.name()).get();
        boolean syncing = sync != null ? sync : existing != null && existing.getAdditionalProperties().get("location") instanceof Map<?, ?> item
                && Boolean.TRUE.equals(item.get("sync"));
        GenericKubernetesResource wanted = classic ? backupLocation(location, namespace, secretName) : federatedLocation(location, namespace, false);
        item(wanted).put("sync", syncing);
        if (existing == null) {
            locations.resource(wanted).create();
        } else {
            // only our fields change: what others set on the object (labels, annotations, Stork's own fields,
            // other s3Config keys) stays, and the update names the version it changes (409 if it moved meanwhile)
            Map<String, Object> merged = merged(existing.getAdditionalProperties().get("location"), item(wanted));
            if (!merged.equals(existing.getAdditionalProperties().get("location"))) {
                existing.setAdditionalProperty("location", merged);
                locations.resource(existing).update();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Object existing, Map<String, Object> ours) {
        Map<String, Object> merged = existing instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
        ours.forEach((key, value) -> {
            if (value instanceof Map<?, ?> inner && merged.get(key) instanceof Map<?, ?> theirs) {
                Map<String, Object> both = new LinkedHashMap<>((Map<String, Object>) theirs);
                both.putAll((Map<String, Object>) inner);
                merged.put(key, both);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** The location's BackupLocation and Secret gone from the cluster (the location left the catalog). */
    public void remove(String cluster, String location) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        client.genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(namespace).withName(location).delete();
        client.secrets().inNamespace(namespace).withName("backupstate-" + location + "-keys").delete();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("location");
    }

    static String secretName(BackupLocation location) {
        return "backupstate-" + location.name() + "-keys";
    }

    /**
     * Federated: the same object without keys, reached with the cluster's own identity
     * ({@code s3Config.useIam}), and {@code sync} set when the engine asks Stork to sync it.
     */
    public static GenericKubernetesResource federatedLocation(BackupLocation location, String namespace, boolean sync) {
        GenericKubernetesResource resource = backupLocation(location, namespace, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) resource.getAdditionalProperties().get("location");
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = (Map<String, Object>) item.get("s3Config");
        s3.put("useIam", true);
        item.put("sync", sync);
        return resource;
    }

    /** The BackupLocation object, Stork's fields only (the contract test holds it to them). */
    public static GenericKubernetesResource backupLocation(BackupLocation location, String namespace, String secretName) {
        if (location.type() == dev.backupstate.model.LocationType.NFS) {
            // Stork's NFS location is type nfs with nfsConfig; written as s3 it would send Stork to an S3 endpoint
            throw new IllegalStateException("backup location " + location.name() + " is NFS: " + dev.backupstate.model.LocationType.NFS_NOT_REACHED);
        }
        URI endpoint = URI.create(location.bucket().endpoint());
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("endpoint", endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : ""));
        s3.put("region", location.region() == null ? "us-east-1" : location.region());
        s3.put("disableSSL", "http".equals(endpoint.getScheme()));
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "s3");
        item.put("path", location.bucket().bucket());
        item.put("s3Config", s3);
        if (secretName != null) {
            item.put("secretConfig", secretName);
        }
        item.put("sync", false);
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(AgentContract.STORK_GROUP + "/" + AgentContract.STORK_VERSION);
        resource.setKind(AgentContract.BACKUP_LOCATION.getKind());
        resource.setMetadata(new ObjectMetaBuilder().withName(location.name()).withNamespace(namespace)
                .addToLabels(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY).build());
        resource.setAdditionalProperty("location", item);
        return resource;
    }

    static Secret secret(BackupLocation location, String namespace, String name, AwsCredentials keys) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withType("Opaque")
                .addToData("accessKeyID", base64.encodeToString(keys.accessKeyId().getBytes(StandardCharsets.UTF_8)))
                .addToData("secretAccessKey", base64.encodeToString(keys.secretAccessKey().getBytes(StandardCharsets.UTF_8)))
                .editMetadata().addToLabels(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY).endMetadata()
                .build();
    }
}
