package dev.backupstate.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

/**
 * The engine as a second machine would run it: its own process (this JVM's classpath, `Main`), its
 * settings as environment variables, its own folders and ports under {@code work}; output to
 * {@code work/engine-NAME.log}.
 */
public final class EngineProcess {

    private EngineProcess() {
    }

    /** {@code settings}: property names (bse.database.url), given as BSE_DATABASE_URL. */
    public static Process start(Path work, String name, int restPort, Map<String, String> settings) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.backupstate.app.Main")
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("engine-" + name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("BSE_LEADER_MEMBER", "engine-" + name);
        env.put("BSE_LEADER_ADDRESS", "http://127.0.0.1:" + restPort);
        env.put("BSE_SCHEDULES_INSTANCE_ID", "engine-" + name);
        env.put("BSE_MODE", "Classic");
        env.put("BSE_SANDBOX_ENABLED", "false");
        env.put("BSE_DATA_DIRECTORY", work.resolve(name + "-data").toString());
        env.put("BSE_INBOX_DIRECTORY", work.resolve(name + "-inbox").toString());
        env.put("BSE_OUTBOX_DIRECTORY", work.resolve(name + "-outbox").toString());
        env.put("BSE_BROKER_LISTEN", "");
        env.put("CAMEL_SERVER_PORT", String.valueOf(restPort));
        env.put("CAMEL_MANAGEMENT_PORT", String.valueOf(FreePort.find()));
        settings.forEach((key, value) -> env.put(key.toUpperCase().replaceAll("[.-]", "_"), value));
        return builder.start();
    }
}
