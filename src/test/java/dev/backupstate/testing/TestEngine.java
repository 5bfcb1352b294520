package dev.backupstate.testing;

import dev.backupstate.app.EngineRuntime;
import dev.backupstate.app.Main;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine as `./bse run` starts it (config/application.properties, routes/), in the test's JVM,
 * with its folders in the test's directory and every port a free one: REST, management, broker.
 */
public final class TestEngine implements AutoCloseable {

    public final Path work;
    public final int restPort = FreePort.find();
    public final int managementPort = FreePort.find();
    public final int brokerPort = FreePort.find();
    public final org.apache.camel.main.Main camel;

    private TestEngine(Path work, Map<String, String> extra) {
        this.work = work;
        Map<String, String> overrides = new HashMap<>(Map.of(
                "bse.inbox.directory", work.resolve("inbox").toString(),
                "bse.outbox.directory", work.resolve("outbox").toString(),
                "bse.data.directory", work.resolve("data").toString(),
                "bse.inbox.settle-millis", "200",
                "camel.server.port", String.valueOf(restPort),
                "camel.management.port", String.valueOf(managementPort),
                "bse.broker.listen", "tcp://127.0.0.1:" + brokerPort,
                // tests name the mode they test, and start the sandbox only when they test it
                "bse.mode", "Classic",
                "bse.sandbox.enabled", "false",
                "bse.sandbox.object-store-port", String.valueOf(FreePort.find())));
        // where the other engines on the same store send writes while this one leads
        overrides.put("bse.leader.address", "http://127.0.0.1:" + restPort);
        // several engines in one JVM share its process id: each its own name in the election
        overrides.put("bse.leader.member", "test-engine-" + restPort);
        overrides.putAll(extra);
        camel = Main.camel(Path.of("config/application.properties"), overrides);
    }

    public static TestEngine start(Path work) throws Exception {
        return start(work, Map.of());
    }

    /** Started, and leading: the embedded default elects itself leader through its lock file within moments. */
    public static TestEngine start(Path work, Map<String, String> extra) throws Exception {
        TestEngine engine = startOnly(work, extra);
        // leading, and its configured users announced (a user the catalog does not hold reads nothing)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> engine.leadership().leading()
                && engine.runtime().users().keySet().stream().allMatch(user -> engine.runtime().loop().catalog()
                        .find(dev.backupstate.model.ResourceKind.USER, user).isPresent()));
        return engine;
    }

    /** Started, leading or not (a second engine on the same store follows). */
    public static TestEngine startOnly(Path work, Map<String, String> extra) throws Exception {
        TestEngine engine = new TestEngine(work, extra);
        engine.camel.start();
        return engine;
    }

    public dev.backupstate.app.Leadership leadership() {
        return camel.getCamelContext().getRegistry().lookupByNameAndType("leadership", dev.backupstate.app.Leadership.class);
    }

    public EngineRuntime runtime() {
        return camel.getCamelContext().getRegistry().lookupByNameAndType("engineRuntime", EngineRuntime.class);
    }

    public String api() {
        return "http://127.0.0.1:" + restPort + "/api/v1";
    }

    public String management() {
        return "http://127.0.0.1:" + managementPort;
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    @Override
    public void close() throws Exception {
        camel.stop();
    }
}
