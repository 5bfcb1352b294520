package dev.backupstate.observe;

import dev.backupstate.notify.Notifier;
import dev.backupstate.notify.Sink;
import dev.backupstate.store.NoticeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The notification sinks (issue 14): DEGRADED once a sink has failed {@code failingAfter} times in a row,
 * naming it, its last error and how many notices wait for it. Neither readiness nor liveness: decisions
 * go on while a receiver is away, and the notices wait in the store.
 */
public final class NotificationsHealthCheck extends AdvisoryHealthCheck {

    private final Notifier notifier;
    private final int failingAfter;

    public NotificationsHealthCheck(Notifier notifier, int failingAfter) {
        super("notifications");
        this.notifier = notifier;
        this.failingAfter = failingAfter;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long latest = notifier.store().latest();
        List<String> failing = new ArrayList<>();
        for (Sink sink : notifier.sinks()) {
            NoticeStore.SinkState state = notifier.store().sink(sink.name());
            String prefix = "sink." + sink.name() + ".";
            builder.detail(prefix + "type", sink.type().name().toLowerCase(java.util.Locale.ROOT));
            builder.detail(prefix + "delivered_through", state.deliveredThrough());
            builder.detail(prefix + "behind", Math.max(0, latest - state.deliveredThrough()));
            builder.detail(prefix + "failed_attempts", state.attempts());
            if (state.lastError() != null) {
                builder.detail(prefix + "last_error", state.lastError());
                builder.detail(prefix + "next_attempt_at", String.valueOf(state.nextAttemptAt()));
            }
            if (state.attempts() >= failingAfter) {
                failing.add(sink.name() + " (" + state.attempts() + " attempts: " + state.lastError() + ")");
            }
        }
        builder.detail("sinks", notifier.sinks().size());
        if (failing.isEmpty()) {
            builder.up();
            return;
        }
        degraded(builder, "notification sinks failing: " + String.join("; ", failing) + "; their notices wait in the store");
    }
}
