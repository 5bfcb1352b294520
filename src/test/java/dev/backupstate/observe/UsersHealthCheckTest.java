package dev.backupstate.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Role;
import dev.backupstate.model.User;
import dev.backupstate.model.UserState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Readiness waits for the configured users: before the leader decided them, an admin would be answered as a viewer. */
class UsersHealthCheckTest {

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final Map<String, Role> configured = new LinkedHashMap<>(Map.of("admin", Role.ADMIN, "dev", Role.OPERATOR));

    private HealthCheck.Result check() throws Exception {
        UsersHealthCheck check = new UsersHealthCheck(catalog, configured);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            check.setCamelContext(camel);
            return check.call();
        }
    }

    @Test
    void should_not_be_ready_until_every_configured_user_has_its_role() throws Exception {
        // given: only dev is decided, and admin is known with another role
        catalog.put(new User("dev", UserState.ACTIVE, false, Role.OPERATOR));
        catalog.put(new User("admin", UserState.ACTIVE, false, Role.VIEWER));

        // when
        HealthCheck.Result result = check();

        // then
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValue("the configured users are not decided yet: admin (admin)");
        assertThat(new UsersHealthCheck(catalog, configured).isReadiness()).isTrue();
        assertThat(new UsersHealthCheck(catalog, configured).isLiveness()).isFalse();
    }

    @Test
    void should_be_ready_once_they_are() throws Exception {
        catalog.put(new User("dev", UserState.ACTIVE, false, Role.OPERATOR));
        catalog.put(new User("admin", UserState.ACTIVE, true, Role.ADMIN));

        assertThat(check().getState()).isEqualTo(HealthCheck.State.UP);
    }
}
