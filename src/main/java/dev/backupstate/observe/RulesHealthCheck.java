package dev.backupstate.observe;

import dev.backupstate.rules.RuleBook;
import dev.backupstate.rules.RulesInForce;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The rules in force (issue 13). After a refused reload the check is DEGRADED (an advisory check: UP
 * with {@code status: DEGRADED}, since the engine keeps deciding on the generation in force); the details name the
 * refused file, line and compiler message, and the generation still deciding.
 */
public final class RulesHealthCheck extends AdvisoryHealthCheck {

    private final RuleBook rules;

    public RulesHealthCheck(RuleBook rules) {
        super("rules");
        this.rules = rules;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RulesInForce status = rules.status();
        builder.detail("generation", status.generation());
        builder.detail("hash", status.hash());
        builder.detail("rules", status.rules().size());
        if (status.lastRuleError() != null) {
            builder.detail("last_rule_error", status.lastRuleError().describe());
        }
        if (status.lastRefusal() == null) {
            builder.detail("status", "UP");
            builder.up();
            return;
        }
        builder.detail("refused_at", status.lastRefusal().at().toString());
        builder.detail("refused", status.lastRefusal().problems().toString());
        degraded(builder, "the last reload of " + status.directory() + " was refused; generation " + status.generation()
                + " keeps deciding: " + status.lastRefusal().problems());
    }
}
