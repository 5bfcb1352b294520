package dev.backupstate.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check that tells operators something is wrong while the engine keeps deciding (a refused rules
 * reload, a notification sink that keeps failing). It is neither a readiness nor a liveness check, so
 * no orchestrator stops sending requests to the engine or restarts it for this. It also never turns
 * /observe/health DOWN (a 503): a monitor pointed there would flap while nothing is down. The check
 * stays UP, with {@code status: DEGRADED} and the message among its details, which
 * {@code camel.health.exposure-level = full} shows.
 */
abstract class AdvisoryHealthCheck extends AbstractHealthCheck {

    AdvisoryHealthCheck(String id) {
        super("backupstate", id);
    }

    /** What is wrong, said without turning the health DOWN. */
    static void degraded(org.apache.camel.health.HealthCheckResultBuilder builder, String message) {
        builder.detail("status", "DEGRADED");
        builder.detail("problem", message);
        builder.message("DEGRADED: " + message);
        builder.up();
    }

    @Override
    public final boolean isReadiness() {
        return false;
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
