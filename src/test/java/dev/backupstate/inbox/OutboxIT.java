package dev.backupstate.inbox;

import dev.backupstate.testing.FreePort;
import dev.backupstate.testing.TestEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backupstate.model.Envelope;
import dev.backupstate.model.Request;
import dev.backupstate.model.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands committed with a decision are carried out by the outbox route, once, also after a restart. */
class OutboxIT {

    @TempDir
    Path work;
    private TestEngine engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    private static Envelope addCluster(String requestId, String name) {
        return new Envelope(requestId, "admin", Source.REST, Instant.now(), new Request.AddCluster(name, "secret/" + name));
    }

    @Test
    void should_carry_out_each_committed_command_and_mark_it() throws Exception {
        engine = TestEngine.start(work, Map.of("bse.outbox.poll-millis", "100"));

        engine.runtime().loop().submit(addCluster("add-c1", "c1"));
        engine.runtime().loop().submit(addCluster("add-c2", "c2"));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().pendingCommands(10).isEmpty());
        assertThat(engine.runtime().loop().store().markDispatched(1)).as("already carried out").isFalse();
    }

    @Test
    void should_carry_out_after_a_restart_what_was_committed_before_it() throws Exception {
        engine = TestEngine.start(work);
        engine.camel.getCamelContext().getRouteController().stopRoute("outbox-dispatch");
        engine.runtime().loop().submit(addCluster("add-c3", "c3"));
        assertThat(engine.runtime().loop().pendingCommands(10)).hasSize(1);
        engine.close();

        engine = TestEngine.start(work, Map.of("bse.outbox.poll-millis", "100"));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.runtime().loop().pendingCommands(10).isEmpty());
    }
}
