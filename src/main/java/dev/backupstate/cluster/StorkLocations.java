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
 * Classic: the Stork BackupLocation an ApplicationBackup or ApplicationRestore names, written on the
 * cluster before the first one that needs it, in Stork's shape (pkg/apis/stork/v1alpha1/backuplocation.go
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

    /** {@code keys}: a location's credentials reference resolved to its keys, as the bucket side resolves it. */
    public StorkLocations(ClusterClients clients, String namespace, Function<String, AwsCredentials> keys) {
        this.clients = clients;
        this.namespace = namespace;
        this.keys = keys;
    }

    /** The Secret and BackupLocation of {@code location} on {@code cluster}, created or brought up to date. */
    public void ensure(String cluster, BackupLocation location) {
        KubernetesClient client = clients.client(cluster)
                .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + cluster));
        // written only when different: this runs before every backup and restore
        String secretName = null;
        if (location.credentials() != null) {
            secretName = secretName(location);
            Secret wantedKeys = secret(location, namespace, secretName, keys.apply(location.credentials()));
            Secret existingKeys = client.secrets().inNamespace(namespace).withName(secretName).get();
            if (existingKeys == null || !wantedKeys.getData().equals(existingKeys.getData())) {
                client.secrets().inNamespace(namespace).resource(wantedKeys).createOr(existing -> existing.update());
            }
        }
        GenericKubernetesResource wanted = backupLocation(location, namespace, secretName);
        var locations = client.genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(namespace);
        GenericKubernetesResource existing = locations.withName(location.name()).get();
        if (existing == null || !wanted.getAdditionalProperties().get("location").equals(existing.getAdditionalProperties().get("location"))) {
            locations.resource(wanted).createOr(found -> found.update());
        }
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
