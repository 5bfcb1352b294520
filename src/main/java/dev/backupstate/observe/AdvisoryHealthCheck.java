package dev.backupstate.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check that tells operators something is wrong while the engine keeps deciding (a refused rules
 * reload, a notification sink that keeps failing): DOWN in /observe/health, but neither a readiness nor
 * a liveness check, so no orchestrator stops sending requests or restarts the engine for it.
 */
abstract class AdvisoryHealthCheck extends AbstractHealthCheck {

    AdvisoryHealthCheck(String id) {
        super("backupstate", id);
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
