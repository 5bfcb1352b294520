package dev.backupstate.cluster;

import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Observation.ClusterProbed;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Probes one cluster the way ../DESIGN.md says: the API server answers, the credentials are accepted,
 * the agent (Stork) runs: it holds its Lease and renews it (Stork's leader election, cmd/stork/stork.go at
 * {@link AgentContract#STORK_SOURCE}: Lease {@code kube-system/stork}, 15 s, renewed every 2 s). A Deployment
 * says only that Stork was asked to run; the Lease is what a running Stork writes. The answer is the state the probe observed with its cause:
 *
 * <table>
 * <tr><th>observed</th><th>state</th></tr>
 * <tr><td>no kubeconfig, unreadable kubeconfig</td><td>Disconnected</td></tr>
 * <tr><td>client certificate past its end date</td><td>Not Available (expired kubeconfig)</td></tr>
 * <tr><td>bearer token (JWT) past its exp</td><td>Disconnected (expired token)</td></tr>
 * <tr><td>HTTP 401 or 403</td><td>Disconnected (credentials refused)</td></tr>
 * <tr><td>connection refused, no route, timeout</td><td>Not Available (cluster down)</td></tr>
 * <tr><td>unknown host, TLS failure</td><td>Disconnected (unreachable)</td></tr>
 * <tr><td>agent Lease missing, without holder, or not renewed within its duration (plus the skew allowed)</td><td>Disconnected</td></tr>
 * <tr><td>all of the above fine</td><td>Active</td></tr>
 * </table>
 */
public final class ClusterProbe {

    private static final Pattern JWT_EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private final ClusterClients clients;
    private final String agentNamespace;
    private final String agentLease;
    private final java.time.Duration skew;
    private final Clock clock;

    /** {@code skew}: how far the cluster's clock may be from the engine's when the Lease's renewal is judged. */
    public ClusterProbe(ClusterClients clients, String agentNamespace, String agentLease, java.time.Duration skew, Clock clock) {
        this.clients = clients;
        this.agentNamespace = agentNamespace;
        this.agentLease = agentLease;
        this.skew = skew;
        this.clock = clock;
    }

    public ClusterProbed probe(String cluster) {
        Optional<KubernetesClient> client;
        try {
            client = clients.client(cluster);
        } catch (RuntimeException e) {
            return new ClusterProbed(cluster, ClusterState.DISCONNECTED, e.getMessage());
        }
        if (client.isEmpty()) {
            return new ClusterProbed(cluster, ClusterState.DISCONNECTED, "no kubeconfig is known for this cluster");
        }
        Optional<ClusterProbed> expired = expired(cluster, client.get().getConfiguration());
        if (expired.isPresent()) {
            return expired.get();
        }
        try {
            client.get().getKubernetesVersion();
            Lease lease = client.get().leases().inNamespace(agentNamespace).withName(agentLease).get();
            Optional<String> notRunning = agentNotRunning(lease);
            if (notRunning.isPresent()) {
                return new ClusterProbed(cluster, ClusterState.DISCONNECTED, notRunning.get());
            }
            return new ClusterProbed(cluster, ClusterState.ACTIVE, null);
        } catch (RuntimeException e) {
            return failed(cluster, e);
        }
    }

    /** Why the agent's Lease says it is not running, or empty when a holder renewed it in time. */
    Optional<String> agentNotRunning(Lease lease) {
        String where = agentNamespace + "/" + agentLease;
        if (lease == null || lease.getSpec() == null) {
            return Optional.of("agent (Stork) not running: no Lease " + where + " (Stork takes it when it starts)");
        }
        var spec = lease.getSpec();
        if (spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank()) {
            return Optional.of("agent (Stork) not running: Lease " + where + " has no holder");
        }
        if (spec.getRenewTime() == null) {
            return Optional.of("agent (Stork) not running: Lease " + where + " was never renewed");
        }
        Instant renewed;
        try {
            renewed = spec.getRenewTime().toInstant();
        } catch (RuntimeException e) {
            return Optional.of("agent (Stork) not running: Lease " + where + " has an unreadable renewTime");
        }
        long duration = spec.getLeaseDurationSeconds() == null ? 15 : spec.getLeaseDurationSeconds();
        Instant until = renewed.plusSeconds(duration).plus(skew);
        if (clock.instant().isAfter(until)) {
            return Optional.of("agent (Stork) not running: Lease " + where + " held by " + spec.getHolderIdentity()
                    + " was last renewed at " + renewed + " (for " + duration + " s)");
        }
        return Optional.empty();
    }

    /** What a failed request says about the cluster. */
    static ClusterProbed failed(String cluster, Throwable failure) {
        if (failure instanceof KubernetesClientException k && (k.getCode() == 401 || k.getCode() == 403)) {
            return new ClusterProbed(cluster, ClusterState.DISCONNECTED, "credentials refused (HTTP " + k.getCode() + ")");
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new ClusterProbed(cluster, ClusterState.NOT_AVAILABLE, "cluster down: " + cause.getMessage());
            }
            if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return new ClusterProbed(cluster, ClusterState.NOT_AVAILABLE, "cluster down: no answer in time");
            }
            if (cause instanceof UnknownHostException) {
                return new ClusterProbed(cluster, ClusterState.DISCONNECTED, "unreachable: unknown host " + cause.getMessage());
            }
            if (cause instanceof SSLException) {
                return new ClusterProbed(cluster, ClusterState.DISCONNECTED, "unreachable: TLS failed: " + cause.getMessage());
            }
        }
        if (failure instanceof KubernetesClientException k && k.getCode() > 0) {
            return new ClusterProbed(cluster, ClusterState.DISCONNECTED, "API server answered HTTP " + k.getCode());
        }
        return new ClusterProbed(cluster, ClusterState.NOT_AVAILABLE, "unreachable: " + failure.getMessage());
    }

    private Optional<ClusterProbed> expired(String cluster, Config config) {
        Instant now = clock.instant();
        Optional<Instant> certificateEnd = certificateEnd(config.getClientCertData());
        if (certificateEnd.isPresent() && certificateEnd.get().isBefore(now)) {
            return Optional.of(new ClusterProbed(cluster, ClusterState.NOT_AVAILABLE,
                    "kubeconfig expired: client certificate ended " + certificateEnd.get()));
        }
        Optional<Instant> tokenEnd = tokenEnd(config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken());
        if (tokenEnd.isPresent() && tokenEnd.get().isBefore(now)) {
            return Optional.of(new ClusterProbed(cluster, ClusterState.DISCONNECTED, "token expired " + tokenEnd.get()));
        }
        return Optional.empty();
    }

    static Optional<Instant> certificateEnd(String base64Pem) {
        if (base64Pem == null || base64Pem.isBlank()) {
            return Optional.empty();
        }
        try {
            byte[] pem = Base64.getDecoder().decode(base64Pem.trim());
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
            return Optional.of(certificate.getNotAfter().toInstant());
        } catch (IllegalArgumentException | CertificateException e) {
            return Optional.empty();
        }
    }

    /** The exp claim of a JWT bearer token; empty for opaque tokens. */
    static Optional<Instant> tokenEnd(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher exp = JWT_EXP.matcher(claims);
            return exp.find() ? Optional.of(Instant.ofEpochSecond(Long.parseLong(exp.group(1)))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
