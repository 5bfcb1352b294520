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
 */
public final class LeaderForwarder {

    /** Set on a forwarded request; a replica that is not the leader either answers 503 instead of passing it on. */
    public static final String FORWARDED = "X-Backupstate-Forwarded-By";

    /** The leader's answer, as it came. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    private final Fence fence;
    private final String member;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LeaderForwarder(Fence fence, String member) {
        this.fence = fence;
        this.member = member;
    }

    /** The leader's answer to the same request, or empty when no other replica leads now. */
    public Optional<Answer> forward(String path, String authorization, String contentType, byte[] body) {
        Optional<Fence.Leader> leader = fence.leader().filter(found -> found.address() != null && !member.equals(found.holder()));
        if (leader.isEmpty()) {
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
            return Optional.of(new Answer(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
                    answer.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
