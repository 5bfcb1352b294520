package dev.backupstate.cluster;

import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.BackupDataDeleted;
import dev.backupstate.model.Observation.ConnectionValidated;
import dev.backupstate.model.Observation.ConnectionValidationTimedOut;
import dev.backupstate.model.Observation.SyncCompleted;
import dev.backupstate.model.Observation.SyncFailed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what agents answered to the engine's Federated instructions: a location's per-cluster
 * verdict, a sync's findings, a deleted backup. A verdict or sync report not given within the agent
 * timeout becomes a time-out observation (the rules make the connection Invalid, the sync Failed).
 */
public final class AgentReports {

    private static final Logger LOG = LoggerFactory.getLogger(AgentReports.class);

    private record Awaited(String location, String cluster, String request, Instant since) {
    }

    private final ClusterClients clients;
    private final String namespace;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Awaited> verdicts = new ConcurrentHashMap<>();
    private final Map<String, Awaited> syncs = new ConcurrentHashMap<>();
    /** backup name -> the cluster deleting its data. */
    private final Map<String, Awaited> deletions = new ConcurrentHashMap<>();
    private final dev.backupstate.engine.InMemoryCatalog catalog;
    private volatile boolean resumed;

    private final LocationChecks checks;

    public AgentReports(ClusterClients clients, dev.backupstate.engine.InMemoryCatalog catalog, String namespace, Duration timeout,
                        Clock clock, LocationChecks checks) {
        this.checks = checks;
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** {@code job}: the check Job whose outcome is the verdict. */
    void awaitVerdict(String location, String cluster, String job) {
        verdicts.put(location + ":" + cluster, new Awaited(location, cluster, job, clock.instant()));
    }

    void awaitSync(String location, String cluster, String request) {
        syncs.put(location, new Awaited(location, cluster, request, clock.instant()));
    }

    void awaitDeletion(String backup, String cluster) {
        deletions.put(backup, new Awaited(backup, cluster, null, clock.instant()));
    }

    /**
     * After a restart the engine no longer remembers what it asked: the catalog does. Connections still
     * InProgress and syncs still running are awaited again, accepting the answer to whatever request the
     * cluster's BackupLocation carries, with a fresh time-out. (Deletions in flight are not: the
     * catalog does not say which cluster was asked; a force delete frees such a backup.)
     */
    private void resume() {
        for (var resource : catalog.all(dev.backupstate.model.ResourceKind.CONNECTION)) {
            dev.backupstate.model.Connection connection = (dev.backupstate.model.Connection) resource;
            if (connection.state() == ConnectionState.IN_PROGRESS || connection.state() == ConnectionState.PENDING) {
                verdicts.putIfAbsent(connection.location() + ":" + connection.cluster(),
                        new Awaited(connection.location(), connection.cluster(), null, clock.instant()));
            }
        }
        for (var resource : catalog.all(dev.backupstate.model.ResourceKind.SYNC)) {
            dev.backupstate.model.Sync sync = (dev.backupstate.model.Sync) resource;
            if (sync.state() == dev.backupstate.model.SyncState.IN_PROGRESS && sync.cluster() != null) {
                syncs.putIfAbsent(sync.location(), new Awaited(sync.location(), sync.cluster(), null, clock.instant()));
            }
        }
    }

    /** One look at every awaited answer; what came in or timed out. */
    public List<Observation> round() {
        if (!resumed) {
            resumed = true;
            resume();
        }
        List<Observation> reported = new ArrayList<>();
        verdicts.forEach((key, awaited) -> verdict(awaited).ifPresent(observation -> {
            verdicts.remove(key, awaited);
            reported.add(observation);
        }));
        syncs.forEach((key, awaited) -> sync(awaited).ifPresent(observation -> {
            syncs.remove(key, awaited);
            reported.add(observation);
        }));
        deletions.forEach((backup, awaited) -> {
            if (deleted(backup, awaited.cluster())) {
                deletions.remove(backup, awaited);
                reported.add(new BackupDataDeleted(backup));
            }
        });
        return reported;
    }

    /** The check Job's verdict (after a restart: the newest check of the location there), or its time-out. */
    private Optional<Observation> verdict(Awaited awaited) {
        try {
            Optional<KubernetesClient> client = clients.client(awaited.cluster());
            Optional<String> job = client.isEmpty() ? Optional.empty()
                    : awaited.request() != null ? Optional.of(awaited.request()) : checks.latest(client.get(), awaited.location());
            Optional<LocationChecks.Verdict> verdict = job.flatMap(name -> checks.verdict(client.get(), name));
            if (verdict.isPresent()) {
                checks.remove(client.get(), job.get());
                return Optional.of(new ConnectionValidated(awaited.location(), awaited.cluster(), verdict.get().state(),
                        verdict.get().cause()));
            }
        } catch (RuntimeException e) {
            // a cluster that cannot be read now may answer later; the time-out still runs
            LOG.debug("cluster {} cannot be read now: {}", awaited.cluster(), e.getMessage());
        }
        if (expired(awaited)) {
            return Optional.of(new ConnectionValidationTimedOut(awaited.location(), awaited.cluster(), (int) timeout.toSeconds()));
        }
        return Optional.empty();
    }

    private Optional<Observation> sync(Awaited awaited) {
        Map<String, Object> report = statusOf(awaited.cluster(), AgentContract.BACKUP_LOCATION, awaited.location(),
                AgentContract.STATUS_SYNC);
        String request = awaited.request() != null ? awaited.request()
                : syncRequestOf(awaited.cluster(), awaited.location());
        if (report != null && request != null && request.equals(text(report, "request"))) {
            String state = text(report, "state");
            if ("Completed".equals(state)) {
                return Optional.of(new SyncCompleted(awaited.location(), found(report.get("backups"))));
            }
            if ("Failed".equals(state)) {
                return Optional.of(new SyncFailed(awaited.location(), text(report, "cause")));
            }
        }
        if (expired(awaited)) {
            return Optional.of(new SyncFailed(awaited.location(), "no report from cluster " + awaited.cluster()
                    + " within " + timeout.toSeconds() + " s"));
        }
        return Optional.empty();
    }

    private boolean deleted(String backup, String cluster) {
        try {
            Optional<KubernetesClient> client = clients.client(cluster);
            return client.isPresent() && client.get().genericKubernetesResources(AgentContract.APPLICATION_BACKUP)
                    .inNamespace(namespace).withName(backup).get() == null;
        } catch (RuntimeException e) {
            LOG.debug("cluster {} cannot be read now: {}", cluster, e.getMessage());
            return false;
        }
    }

    private boolean expired(Awaited awaited) {
        return Duration.between(awaited.since(), clock.instant()).compareTo(timeout) >= 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> statusOf(String cluster, io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind,
                                         String name, String field) {
        try {
            Optional<KubernetesClient> client = clients.client(cluster);
            if (client.isEmpty()) {
                return null;
            }
            GenericKubernetesResource resource = client.get().genericKubernetesResources(kind).inNamespace(namespace).withName(name).get();
            Object status = resource == null ? null : resource.getAdditionalProperties().get(AgentContract.STATUS);
            Object value = status instanceof Map<?, ?> map ? map.get(field) : null;
            return value instanceof Map<?, ?> found ? (Map<String, Object>) found : null;
        } catch (RuntimeException e) {
            // a cluster that cannot be read now may answer later; the time-out still runs
            LOG.debug("cluster {} cannot be read now: {}", cluster, e.getMessage());
            return null;
        }
    }

    /** The sync request the engine last wrote on the cluster's BackupLocation (our annotation). */
    private String syncRequestOf(String cluster, String location) {
        try {
            Optional<KubernetesClient> client = clients.client(cluster);
            GenericKubernetesResource resource = client.isEmpty() ? null : client.get()
                    .genericKubernetesResources(AgentContract.BACKUP_LOCATION).inNamespace(namespace).withName(location).get();
            return resource == null || resource.getMetadata().getAnnotations() == null ? null
                    : resource.getMetadata().getAnnotations().get(AgentContract.ANNOTATION_SYNC_REQUEST);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(Map<String, Object> map, String field) {
        Object value = map.get(field);
        return value == null ? null : value.toString();
    }

    /** The agent's list of backup.json files; an entry that does not make a backup is skipped, with a log. */
    @SuppressWarnings("unchecked")
    static List<FoundBackup> found(Object backups) {
        List<FoundBackup> found = new ArrayList<>();
        if (!(backups instanceof List<?> list)) {
            return found;
        }
        for (Object entry : list) {
            try {
                Map<String, Object> backup = (Map<String, Object>) entry;
                Object created = backup.get("created");
                Object namespaces = backup.get("namespaces");
                found.add(new FoundBackup(text(backup, "name"), text(backup, "cluster"),
                        created == null ? null : Instant.parse(created.toString()),
                        ProgressFollower.status(text(backup, "status")), text(backup, "incrementalOf"),
                        namespaces instanceof List<?> names ? names.stream().map(Object::toString).toList() : List.of()));
            } catch (RuntimeException e) {
                LOG.warn("an agent reported a backup that cannot be read ({}); skipped", e.getMessage());
            }
        }
        return found;
    }

    /** For tests and the benchmark: how many answers are awaited. */
    public int awaited() {
        return verdicts.size() + syncs.size() + deletions.size();
    }

}
