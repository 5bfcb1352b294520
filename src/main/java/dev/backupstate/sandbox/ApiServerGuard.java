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

    @Override
    public void shutdown() {
        // the store stays: the next server on this port serves the same objects
    }
}
