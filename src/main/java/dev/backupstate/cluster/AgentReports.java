package dev.backupstate.cluster;

import dev.backupstate.store.InFlight;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.InvalidFieldException;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.BackupDataDeleted;
import dev.backupstate.model.Observation.BackupDataDeletionFailed;
import dev.backupstate.model.Observation.ConnectionValidated;
import dev.backupstate.model.Observation.ConnectionValidationTimedOut;
import dev.backupstate.model.Observation.SyncCompleted;
import dev.backupstate.model.Observation.SyncFailed;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what happened on clusters after the engine's Federated instructions: a location's
 * per-cluster verdict (its check Job), a sync's findings (the ApplicationBackups Stork's sync made), a
 * deleted backup (its ApplicationBackup gone once Stork's finalizer deleted the data). A verdict not
 * given within the agent timeout becomes a time-out observation (the rules make the connection
 * Invalid); a sync whose cluster cannot be read that long Failed; a deletion not finished that long is
 * reported with the cause, and the rules ask again.
 */
public final class AgentReports {

    private static final Logger LOG = LoggerFactory.getLogger(AgentReports.class);

    private record Awaited(String location, String cluster, String request, Instant since) {
    }

    private final ClusterClients clients;
    private final Catalog catalog;
    private final String namespace;
    private final Duration timeout;
    private final Duration syncWait;
    private final Clock clock;
    private final LocationChecks checks;
    private final StorkLocations locations;
    /**
     * What is awaited, as rows in the store (a new leader waits on): a check Job's verdict per
     * "location:cluster" (the Job's name as detail), a sync per location (its cluster as detail), a
     * deletion per "backup:cluster" (what is awaited is the catalog's: the Deleting backup).
     */
    private final InFlight inFlight;
    private final StorkCleanup cleanup;
    private volatile boolean resumed;

    /** {@code syncWait}: how long Stork is given to sync before its ApplicationBackups are read (its interval is a minute). */
    public AgentReports(ClusterClients clients, Catalog catalog, String namespace, Duration timeout, Duration syncWait,
                        Clock clock, LocationChecks checks, StorkLocations locations, InFlight inFlight, StorkCleanup cleanup) {
        this.cleanup = cleanup;
        this.inFlight = inFlight;
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.timeout = timeout;
        this.syncWait = syncWait;
        this.clock = clock;
        this.checks = checks;
        this.locations = locations;
    }

    /** {@code job}: the check Job whose outcome is the verdict. */
    void awaitVerdict(String location, String cluster, String job) {
        inFlight.put(new InFlight.Mark(InFlight.Kind.VERDICT, location + ":" + cluster, clock.instant(), job, null));
    }

    void awaitSync(String location, String cluster) {
        inFlight.put(new InFlight.Mark(InFlight.Kind.SYNC, location, clock.instant(), cluster, null));
    }

    /**
     * What the store does not say is awaited (asked before it kept such rows) the catalog does: connections
     * still InProgress and syncs still running are awaited from now (deletions in flight are the
     * catalog's own: every Deleting backup with the cluster it was asked of).
     */
    private void resume() {
        for (var resource : catalog.all(ResourceKind.CONNECTION)) {
            Connection connection = (Connection) resource;
            if (connection.state() == ConnectionState.IN_PROGRESS || connection.state() == ConnectionState.PENDING) {
                String key = connection.location() + ":" + connection.cluster();
                if (inFlight.get(InFlight.Kind.VERDICT, key).isEmpty()) {
                    inFlight.put(new InFlight.Mark(InFlight.Kind.VERDICT, key, clock.instant(), null, null));
                }
            }
        }
        for (var resource : catalog.all(ResourceKind.SYNC)) {
            Sync sync = (Sync) resource;
            if (sync.state() == SyncState.IN_PROGRESS && sync.cluster() != null) {
                if (inFlight.get(InFlight.Kind.SYNC, sync.location()).isEmpty()) {
                    inFlight.put(new InFlight.Mark(InFlight.Kind.SYNC, sync.location(), clock.instant(), sync.cluster(), null));
                }
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
        for (String key : inFlight.keys(InFlight.Kind.VERDICT)) {
            inFlight.get(InFlight.Kind.VERDICT, key).ifPresent(mark -> {
                int colon = key.lastIndexOf(':');
                verdict(new Awaited(key.substring(0, colon), key.substring(colon + 1), mark.detail(), mark.since()))
                        .ifPresent(observation -> {
                            inFlight.remove(InFlight.Kind.VERDICT, key);
                            reported.add(observation);
                        });
            });
        }
        for (String key : inFlight.keys(InFlight.Kind.SYNC)) {
            inFlight.get(InFlight.Kind.SYNC, key).ifPresent(mark -> sync(new Awaited(key, mark.detail(), null, mark.since()))
                    .ifPresent(observation -> {
                        inFlight.remove(InFlight.Kind.SYNC, key);
                        reported.add(observation);
                    }));
        }
        Set<String> followed = new HashSet<>();
        for (var resource : catalog.all(ResourceKind.BACKUP)) {
            Backup backup = (Backup) resource;
            if (backup.state() == BackupState.DELETING && backup.deletingOn() != null) {
                String key = backup.name() + ":" + backup.deletingOn();
                followed.add(key);
                deletion(backup, key).ifPresent(reported::add);
            }
        }
        inFlight.keys(InFlight.Kind.DELETION).stream().filter(key -> !followed.contains(key))
                .forEach(key -> inFlight.remove(InFlight.Kind.DELETION, key));
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
                try {
                    checks.remove(client.get(), job.get());
                } catch (RuntimeException e) {
                    // the verdict stands; a check left behind goes with its ttlSecondsAfterFinished
                    LOG.warn("check Job {} on cluster {} could not be removed: {}", job.get(), awaited.cluster(), e.getMessage());
                }
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

    /**
     * Once Stork has had {@code syncWait} to sync: the location's ApplicationBackups on the cluster are
     * what it found (those the engine wrote there, and the copies its sync made under its own names,
     * read back to the names users gave); the flag is then taken off. A cluster that cannot be read
     * for the agent timeout fails the sync.
     */
    private Optional<Observation> sync(Awaited awaited) {
        Duration waited = Duration.between(awaited.since(), clock.instant());
        if (waited.compareTo(syncWait) < 0) {
            return Optional.empty();
        }
        try {
            KubernetesClient client = clients.client(awaited.cluster())
                    .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + awaited.cluster()));
            List<FoundBackup> found = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (GenericKubernetesResource backup : StorkBackups.of(client, namespace, awaited.location())) {
                try {
                    FoundBackup one = StorkBackups.found(backup);
                    if (backup.getMetadata().getDeletionTimestamp() == null && names.add(one.name())) {
                        found.add(one);
                    }
                } catch (InvalidFieldException e) {
                    LOG.warn("ApplicationBackup {} on cluster {} names no backup the engine can hold ({}); skipped",
                            backup.getMetadata().getName(), awaited.cluster(), e.getMessage());
                }
            }
            catalog.find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, awaited.location())).map(BackupLocation.class::cast)
                    .ifPresent(location -> locations.sync(awaited.cluster(), location, false));
            return Optional.of(new SyncCompleted(awaited.location(), found));
        } catch (RuntimeException e) {
            LOG.debug("cluster {} cannot be read now: {}", awaited.cluster(), e.getMessage());
            if (waited.compareTo(syncWait.plus(timeout)) >= 0) {
                return Optional.of(new SyncFailed(awaited.location(), "cluster " + awaited.cluster() + " could not be read within "
                        + timeout.toSeconds() + " s: " + e.getMessage()));
            }
            return Optional.empty();
        }
    }

    /**
     * A deletion asked of Stork on a cluster: done when the backup's ApplicationBackup there is gone
     * (Stork removes its finalizer after deleting the data); not done within the agent timeout: reported,
     * and the rules ask again (on that cluster if it is still eligible).
     */
    private Optional<Observation> deletion(Backup backup, String key) {
        Instant since = inFlight.get(InFlight.Kind.DELETION, key).map(InFlight.Mark::since).orElseGet(() -> {
            Instant now = clock.instant();
            inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, now, null, null));
            return now;
        });
        try {
            Optional<KubernetesClient> client = clients.client(backup.deletingOn());
            if (client.isPresent() && StorkBackups.on(client.get(), namespace, backup.name()).isEmpty()) {
                // the data is gone with it; Stork's sync only ever creates, so every other ApplicationBackup of
                // it (the original, copies on other clusters) is let go of too, or a later sync would import it again
                Optional<String> waiting = cleanup.release(backup);
                if (waiting.isEmpty()) {
                    inFlight.remove(InFlight.Kind.DELETION, key);
                    return Optional.of(new BackupDataDeleted(backup.name()));
                }
                inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, clock.instant(), null, null));
                return waiting.get().equals(backup.cause()) ? Optional.empty()
                        : Optional.of(new dev.backupstate.model.Observation.BackupDeletionWaiting(backup.name(), waiting.get()));
            }
        } catch (RuntimeException e) {
            LOG.debug("cluster {} cannot be read now: {}", backup.deletingOn(), e.getMessage());
        }
        if (Duration.between(since, clock.instant()).compareTo(timeout) >= 0) {
            inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, clock.instant(), null, null));
            return Optional.of(new BackupDataDeletionFailed(backup.name(), "Stork on cluster " + backup.deletingOn()
                    + " has not deleted it within " + timeout.toSeconds() + " s"));
        }
        return Optional.empty();
    }

    private boolean expired(Awaited awaited) {
        return Duration.between(awaited.since(), clock.instant()).compareTo(timeout) >= 0;
    }

    /** For tests and the benchmark: how many answers are awaited. */
    public int awaited() {
        return inFlight.keys(InFlight.Kind.VERDICT).size() + inFlight.keys(InFlight.Kind.SYNC).size()
                + inFlight.keys(InFlight.Kind.DELETION).size();
    }
}
