package dev.backupstate.app;

import dev.backupstate.inbox.FileInbox;
import dev.backupstate.inbox.RestApi;
import dev.backupstate.inbox.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs the engine: the runtime (database, rules, loop) from config/application.properties, and the
 * Camel routes of routes/ that feed it. {@code -Dbse.config=FILE} names another configuration.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        camel(Path.of(System.getProperty("bse.config", "config/application.properties")), Map.of()).run(args);
    }

    /** A Camel Main ready to start, with the runtime built and bound; it closes the runtime when it stops. */
    public static org.apache.camel.main.Main camel(Path config, Map<String, String> overrides) {
        Settings settings = Settings.load(config, overrides);
        EngineRuntime runtime = new EngineRuntime(settings, Clock.systemUTC());
        org.apache.camel.main.Main camel = new org.apache.camel.main.Main();
        camel.setPropertyPlaceholderLocations("file:" + config);
        settings.all().forEach(camel::addOverrideProperty);
        camel.bind("engineRuntime", runtime);
        camel.bind("fileInbox", new FileInbox(runtime.loop(), Clock.systemUTC()));
        camel.bind("restApi", new RestApi(runtime.loop(), new Tokens(settings.get("bse.tokens")), runtime.mode(),
                Integer.parseInt(settings.get("bse.rest.max-body-bytes")), Clock.systemUTC()));
        camel.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport main) {
                runtime.close();
            }
        });
        return camel;
    }
}
