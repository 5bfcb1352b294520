package dev.backupstate.sandbox;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;

/**
 * In front of the CRUD store of a sandbox API server: refuses requests without the cluster's bearer
 * token (401, as an API server does), and can be made slow. The store itself is fabric8's
 * KubernetesCrudDispatcher; it outlives the server, so a cluster taken down comes back with its objects.
 */
final class ApiServerGuard extends Dispatcher {

    private final Dispatcher store;
    private volatile String token;
    private volatile Duration delay = Duration.ZERO;
    /** Shoot name -> its cluster's kubeconfig, for Gardener's adminkubeconfig subresource. */
    private final java.util.Map<String, java.util.function.Supplier<String>> adminKubeconfigs = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.regex.Pattern ADMIN_KUBECONFIG =
            java.util.regex.Pattern.compile("/apis/core\\.gardener\\.cloud/v1beta1/namespaces/[^/]+/shoots/([^/?]+)/adminkubeconfig");

    void adminKubeconfig(String shoot, java.util.function.Supplier<String> kubeconfig) {
        adminKubeconfigs.put(shoot, kubeconfig);
    }

    ApiServerGuard(Dispatcher store, String token) {
        this.store = store;
        this.token = token;
    }

    void token(String accepted) {
        this.token = accepted;
    }

    void delay(Duration answerAfter) {
        this.delay = answerAfter;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response;
        if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
            response = new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                            + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
        } else if (ADMIN_KUBECONFIG.matcher(request.getPath()).lookingAt() && "POST".equals(request.getMethod())) {
            response = adminKubeconfig(request);
        } else {
            response = store.dispatch(request);
        }
        Duration wait = delay;
        if (!wait.isZero()) {
            // a slow API server: this server thread answers late, as an overloaded one would
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return response;
    }

    /** Gardener's shoots/adminkubeconfig subresource, which the CRUD store does not serve. */
    private MockResponse adminKubeconfig(RecordedRequest request) {
        java.util.regex.Matcher path = ADMIN_KUBECONFIG.matcher(request.getPath());
        path.lookingAt();
        java.util.function.Supplier<String> kubeconfig = adminKubeconfigs.get(path.group(1));
        if (kubeconfig == null) {
            return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
        String encoded = java.util.Base64.getEncoder().encodeToString(kubeconfig.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody("{\"apiVersion\":\"authentication.gardener.cloud/v1alpha1\",\"kind\":\"AdminKubeconfigRequest\","
                        + "\"status\":{\"kubeconfig\":\"" + encoded + "\",\"expirationTimestamp\":\""
                        + java.time.Instant.now().plus(Duration.ofDays(1)) + "\"}}");
    }

    @Override
    public void shutdown() {
        // the store stays: the next server on this port serves the same objects
    }
}
