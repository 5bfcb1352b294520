package dev.backupstate.testing;

import static org.awaitility.Awaitility.await;

import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.LocationType;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Source;
import dev.backupstate.sandbox.SandboxCluster;
import dev.backupstate.sandbox.SandboxObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The fleet a Classic cluster test starts from: a cluster {@code east} (a fabric8 mock API server with
 * a ready agent Deployment), S3Proxy with the bucket {@code backups}, and an engine that has them as
 * the Active cluster {@code east} and the Valid location {@code l1}.
 */
public final class ClassicFleet implements AutoCloseable {

    public final SandboxCluster east;
    public final SandboxObjectStore s3;
    public final int s3Port;
    public final TestEngine engine;

    /** {@code agentNamespace}: where east's agent Deployment runs; {@code settings}: the test's own engine settings. */
    public ClassicFleet(Path work, String agentNamespace, Map<String, String> settings) throws Exception {
        east = new SandboxCluster("east");
        east.installAgent(agentNamespace, "stork", true);
        s3Port = FreePort.find();
        s3 = new SandboxObjectStore(work.resolve("s3"), s3Port);
        s3.createBucket("backups");
        Map<String, String> all = new HashMap<>(Map.of(
                "bse.credentials.good", SandboxObjectStore.ACCESS_KEY + ":" + SandboxObjectStore.SECRET_KEY,
                "bse.outbox.poll-millis", "100",
                "bse.clusters.probe-period-millis", "500",
                "bse.clusters.request-timeout-millis", "1000"));
        all.putAll(settings);
        engine = TestEngine.start(work, all);
        submit(new Request.AddCluster("east", east.kubeconfig()));
        submit(new Request.CreateBackupLocation("l1", LocationType.S3, "http://127.0.0.1:" + s3Port, "us-east-1", "backups", "", "good"));
        await().atMost(Duration.ofSeconds(15)).until(() -> engine.runtime().loop().catalog()
                .find(ResourceRef.of(ResourceKind.CLUSTER, "east")).map(c -> c.state() == ClusterState.ACTIVE).orElse(false)
                && engine.runtime().loop().catalog().find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, "l1"))
                .map(l -> l.state() == BackupLocationState.VALID).orElse(false));
    }

    /** An event as admin over REST would send it, or as the engine observed it. */
    public Outcome submit(Event event) {
        Source source = event instanceof Observation ? Source.OBSERVATION : Source.REST;
        return engine.runtime().loop().submit(new Envelope(UUID.randomUUID().toString(), "admin", source, Instant.now(), event));
    }

    @Override
    public void close() throws Exception {
        engine.close();
        s3.close();
        east.close();
    }
}
