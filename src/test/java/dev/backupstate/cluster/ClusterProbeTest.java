package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Observation.ClusterProbed;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How what a cluster answers (or fails to) becomes a state and a cause; and how agents' words are read. */
class ClusterProbeTest {

    private static ClusterProbed failed(Throwable failure) {
        return ClusterProbe.failed("c1", failure);
    }

    @Test
    void should_disconnect_on_refused_credentials_whether_401_or_403() {
        assertThat(failed(new KubernetesClientException("Unauthorized", 401, null)))
                .isEqualTo(new ClusterProbed("c1", ClusterState.DISCONNECTED, "credentials refused (HTTP 401)"));
        assertThat(failed(new KubernetesClientException("Forbidden", 403, null)))
                .isEqualTo(new ClusterProbed("c1", ClusterState.DISCONNECTED, "credentials refused (HTTP 403)"));
    }

    @Test
    void should_call_a_refused_connection_down_and_an_unknown_host_or_tls_failure_unreachable() {
        assertThat(failed(new KubernetesClientException("An error has occurred.", new ConnectException("Connection refused"))).observed())
                .isEqualTo(ClusterState.NOT_AVAILABLE);
        ClusterProbed unknown = failed(new KubernetesClientException("x", new UnknownHostException("api.gone.example")));
        assertThat(unknown.observed()).isEqualTo(ClusterState.DISCONNECTED);
        assertThat(unknown.cause()).isEqualTo("unreachable: unknown host api.gone.example");
        assertThat(failed(new KubernetesClientException("x", new SSLHandshakeException("PKIX path building failed"))).cause())
                .startsWith("unreachable: TLS failed");
    }

    @Test
    void should_read_the_expiry_of_a_jwt_and_ignore_opaque_tokens() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String jwt = url.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("{\"exp\":1700000000}".getBytes(StandardCharsets.UTF_8)) + ".sig";

        assertThat(ClusterProbe.tokenEnd(jwt)).contains(Instant.ofEpochSecond(1700000000L));
        assertThat(ClusterProbe.tokenEnd("sandbox-opaque-token")).isEmpty();
        assertThat(ClusterProbe.certificateEnd("not base64 at all")).isEqualTo(Optional.empty());
    }

    @Test
    void should_read_storks_and_kubevirts_status_words() {
        assertThat(ProgressFollower.status("Successful")).isEqualTo(BackupStatus.SUCCESS);
        assertThat(ProgressFollower.status("PartialSuccess")).isEqualTo(BackupStatus.PARTIAL_SUCCESS);
        assertThat(ProgressFollower.status("Pending")).as("no news").isNull();
        // every printableStatus is VirtualMachinesTest's
    }

    @Test
    void should_take_stork_for_running_only_while_its_lease_is_renewed() {
        // given: Stork's leader election (15 s lease), judged at 12:00:00 with 30 s of clock skew allowed
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        ClusterProbe probe = new ClusterProbe(null, "kube-system", "stork", java.time.Duration.ofSeconds(30),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        java.util.function.Function<Instant, io.fabric8.kubernetes.api.model.coordination.v1.Lease> renewedAt = at ->
                new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata().withName("stork").endMetadata()
                        .withNewSpec().withHolderIdentity("stork-7d9f").withLeaseDurationSeconds(15)
                        .withRenewTime(at.atZone(java.time.ZoneOffset.UTC)).endSpec().build();

        // then
        assertThat(probe.agentNotRunning(renewedAt.apply(now.minusSeconds(5)))).isEmpty();
        assertThat(probe.agentNotRunning(renewedAt.apply(now.minusSeconds(44)))).as("within 15 s + 30 s").isEmpty();
        assertThat(probe.agentNotRunning(renewedAt.apply(now.minusSeconds(46)))).get().asString()
                .isEqualTo("agent (Stork) not running: Lease kube-system/stork held by stork-7d9f was last renewed at "
                        + "2026-12-07T11:59:14Z (for 15 s)");
        assertThat(probe.agentNotRunning(null)).get().asString()
                .isEqualTo("agent (Stork) not running: no Lease kube-system/stork (Stork takes it when it starts)");
        var released = renewedAt.apply(now);
        released.getSpec().setHolderIdentity("");
        assertThat(probe.agentNotRunning(released)).get().asString().isEqualTo("agent (Stork) not running: Lease kube-system/stork has no holder");
    }
}
