package dev.backupstate.observe;

import dev.backupstate.app.Leadership;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Which role this replica holds (issue 12): UP as leader and as follower alike, since a follower serves
 * reads and passes writes on; the details say which ({@code role}, {@code member}, {@code epoch}), for
 * an operator and for a load balancer that wants to send writes to the leader.
 */
public final class LeadershipHealthCheck extends AbstractHealthCheck {

    private final Leadership leadership;
    private final dev.backupstate.store.Fence fence;

    public LeadershipHealthCheck(Leadership leadership, dev.backupstate.store.Fence fence) {
        super("backupstate", "leadership");
        this.leadership = leadership;
        this.fence = fence;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("role", leadership.leading() ? "leader" : "follower");
        builder.detail("member", leadership.member());
        builder.detail("epoch", fence.epoch());
        builder.up();
    }
}
