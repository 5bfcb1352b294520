package dev.backupstate.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Kubeconfigs kept as Secrets on the engine's own ("home") cluster, referenced as
 * {@code secret:NAMESPACE/NAME} (key {@code kubeconfig}) or {@code secret:NAMESPACE/NAME/KEY}. The home
 * cluster is reached with {@code bse.clusters.secrets-kubeconfig} (a kubeconfig file), or, left empty,
 * as fabric8 finds it: the service account when the engine runs in a pod, else ~/.kube/config.
 */
public final class HomeSecrets implements AutoCloseable {

    private final String kubeconfigFile;
    private KubernetesClient client;

    public HomeSecrets(String kubeconfigFile) {
        this.kubeconfigFile = kubeconfigFile == null ? "" : kubeconfigFile.trim();
    }

    /** The kubeconfig a {@code secret:} reference points at. */
    public String read(String reference) {
        String[] parts = reference.split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("secret reference '" + reference + "' is not NAMESPACE/NAME or NAMESPACE/NAME/KEY");
        }
        String key = parts.length == 3 ? parts[2] : "kubeconfig";
        String value = readAll(parts[0] + "/" + parts[1]).get(key);
        if (value == null) {
            throw new IllegalArgumentException("secret " + parts[0] + "/" + parts[1] + " has no key " + key);
        }
        return value;
    }

    /** Every key of the Secret {@code NAMESPACE/NAME}, decoded. */
    public java.util.Map<String, String> readAll(String reference) {
        String[] parts = reference.split("/");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("secret reference '" + reference + "' is not NAMESPACE/NAME");
        }
        Secret secret = client().secrets().inNamespace(parts[0]).withName(parts[1]).get();
        if (secret == null) {
            throw new IllegalArgumentException("secret " + reference + " does not exist on the engine's cluster");
        }
        java.util.Map<String, String> values = new java.util.HashMap<>();
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        return values;
    }

    private synchronized KubernetesClient client() {
        if (client == null) {
            client = kubeconfigFile.isEmpty() ? new KubernetesClientBuilder().build()
                    : new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(new java.io.File(kubeconfigFile))).build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
