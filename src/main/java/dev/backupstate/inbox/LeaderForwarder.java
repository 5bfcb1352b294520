package dev.backupstate.inbox;

import dev.backupstate.store.Fence;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A write that reaches a follower is decided by the leader (issue 12): the request goes on to the
 * address the leader wrote beside its epoch, as it came (the caller's own token, so the leader
 * authenticates the caller itself, and the same body), and the leader's answer comes back. A request
 * forwarded once is never forwarded again: with no leader to take it, the caller is told to retry.
 *
 * <p>The caller's token goes only where it may (issue 21): to a leader address over https, or over
 * plain http to a loopback address, or to an address the operator listed in bse.leader.forward-to;
 * the address is read from the database, which is not where trust comes from. Only a JSON answer is
 * relayed back.
 */
public final class LeaderForwarder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaderForwarder.class);

    /** Set on a forwarded request; a replica that is not the leader either answers 503 instead of passing it on. */
    public static final String FORWARDED = "X-Backupstate-Forwarded-By";

    /** The leader's answer, as it came. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    private final Fence fence;
    private final String member;
    private final java.util.List<String> allowed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LeaderForwarder(Fence fence, String member) {
        this(fence, member, java.util.List.of());
    }

    /** {@code allowed}: leader addresses (bse.leader.forward-to) a token may go to besides https and loopback ones. */
    public LeaderForwarder(Fence fence, String member, java.util.List<String> allowed) {
        this.fence = fence;
        this.member = member;
        this.allowed = allowed.stream().map(String::trim).filter(a -> !a.isEmpty()).map(a -> a.replaceAll("/+$", "")).toList();
    }

    /** True when a caller's token may be sent to this leader address. */
    boolean mayForwardTo(String address) {
        try {
            URI uri = URI.create(address);
            if (allowed.contains(address.replaceAll("/+$", ""))) {
                return true;
            }
            if ("https".equalsIgnoreCase(uri.getScheme())) {
                return true;
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return false;
            }
            // a literal address (no DNS to trust) on loopback, or localhost
            String host = uri.getHost();
            boolean literal = host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("[");
            return literal && java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The leader's answer to the same request, or empty when no other replica leads now. */
    public Optional<Answer> forward(String path, String authorization, String contentType, byte[] body) {
        Optional<Fence.Leader> leader = fence.leader().filter(found -> found.address() != null && !member.equals(found.holder()));
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        if (!mayForwardTo(leader.get().address())) {
            LOG.warn("not forwarding a write to the leader at {}: plain http to a host that is not this machine, and not in "
                    + "bse.leader.forward-to (a caller's token would cross the network in clear)", leader.get().address());
            return Optional.empty();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(leader.get().address() + path))
                .timeout(Duration.ofSeconds(30))
                .header(FORWARDED, member)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null && !contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                LOG.warn("the leader at {} answered {} with Content-Type '{}', not JSON: not relayed", leader.get().address(),
                        answer.statusCode(), type);
                return Optional.empty();
            }
            return Optional.of(new Answer(answer.statusCode(), "application/json", answer.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
