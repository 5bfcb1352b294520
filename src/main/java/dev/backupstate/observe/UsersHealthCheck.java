package dev.backupstate.observe;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Role;
import dev.backupstate.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready once every user the configuration names is in the catalog with its role. Until the leader has
 * decided them, a request would be answered with the wrong rights ("user admin is viewer"). Live
 * regardless: waiting for a leader is not cured by a restart.
 */
public final class UsersHealthCheck extends AbstractHealthCheck {

    private final Catalog catalog;
    private final Map<String, Role> configured;

    public UsersHealthCheck(Catalog catalog, Map<String, Role> configured) {
        super("backupstate", "users");
        this.catalog = catalog;
        this.configured = configured;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> waiting = new ArrayList<>();
        configured.forEach((name, role) -> {
            boolean known = catalog.find(ResourceRef.of(ResourceKind.USER, name)).map(User.class::cast)
                    .filter(user -> user.role() == role).isPresent();
            if (!known) {
                waiting.add(name + " (" + role.label() + ")");
            }
        });
        builder.detail("configured", configured.size());
        if (waiting.isEmpty()) {
            builder.up();
            return;
        }
        builder.message("the configured users are not decided yet: " + String.join(", ", waiting)).down();
    }
}
