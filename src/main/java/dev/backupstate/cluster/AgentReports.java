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
import dev.backupstate.model.Observation.BackupDeletionAwaited;
import dev.backupstate.model.Observation.ConnectionValidated;
import dev.backupstate.model.Observation.ConnectionVerdictAwaited;
import dev.backupstate.model.Observation.SyncCompleted;
import dev.backupstate.model.Observation.SyncAwaited;
import dev.backupstate.model.Observation.SyncFailed;
import dev.backupstate.model.Observation.SyncPassObserved;
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
 * per-cluster verdict (its check Job), a sync as Stork's pass shows it ({@link SyncMarker}: the pass seen
 * listing the location, then seen to end, and the ApplicationBackups it made), a deleted backup (its
 * ApplicationBackup gone once Stork's finalizer deleted the data). What is still awaited is reported
 * every {@code reportEvery} with since when (ConnectionVerdictAwaited, SyncAwaited, BackupDeletionAwaited):
 * the rules hold the limits (a connection Invalid, a sync Failed, a deletion asked again).
 */
public final class AgentReports {

    private static final Logger LOG = LoggerFactory.getLogger(AgentReports.class);

    private record Awaited(String location, String cluster, String request, Instant since) {
    }

    private final ClusterClients clients;
    private final Catalog catalog;
    private final String namespace;
    /** How often what is still awaited is reported, with since when. */
    private final Duration reportEvery;
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
    /** What the clusters show: check Jobs and their pods, ApplicationBackups (read from watches, not asked per round). */
    private final ClusterWatches watches;
    private volatile boolean resumed;

    /** {@code reportEvery}: how often what is still awaited is reported, with since when (the rules hold the limits). */
    public AgentReports(ClusterClients clients, Catalog catalog, String namespace, Duration reportEvery,
                        Clock clock, LocationChecks checks, StorkLocations locations, InFlight inFlight, StorkCleanup cleanup,
                        ClusterWatches watches) {
        this.watches = watches;
        this.cleanup = cleanup;
        this.inFlight = inFlight;
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.reportEvery = reportEvery;
        this.clock = clock;
        this.checks = checks;
        this.locations = locations;
    }

    /** {@code job}: the check Job whose outcome is the verdict. */
    void awaitVerdict(String location, String cluster, String job) {
        inFlight.put(new InFlight.Mark(InFlight.Kind.VERDICT, location + ":" + cluster, clock.instant(), job, null));
    }

    /** {@code marker}: the sync's marker ({@link SyncMarker}), whose Job the next round starts. */
    void awaitSync(String location, String cluster, String marker) {
        inFlight.put(new InFlight.Mark(InFlight.Kind.SYNC, location, clock.instant(),
                new SyncWait(cluster, SyncPhase.MARKING, marker, null).detail(), null));
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
                    Instant now = clock.instant();
                    awaitSync(sync.location(), sync.cluster(), SyncMarker.name(sync.location(), sync.cluster(), now.toString()));
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
                verdict(new Awaited(key.substring(0, colon), key.substring(colon + 1), mark.detail(), mark.since()), key)
                        .ifPresent(reported::add);
            });
        }
        for (String key : inFlight.keys(InFlight.Kind.SYNC)) {
            inFlight.get(InFlight.Kind.SYNC, key).ifPresent(mark -> sync(key, mark).ifPresent(reported::add));
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
        watches.retain("agent reports", awaitedOn());
        return reported;
    }

    /**
     * The check Job's verdict (after a restart: the newest check of the location there), or, while there is
     * none, how long it has been awaited (the rules hold the limit). A connection the catalog no longer
     * validates (Invalid by the rules' limit, its cluster gone) is awaited no more.
     */
    private Optional<Observation> verdict(Awaited awaited, String key) {
        boolean validating = catalog.find(ResourceRef.of(ResourceKind.CONNECTION, Connection.nameOf(awaited.location(), awaited.cluster())))
                .map(Connection.class::cast)
                .filter(connection -> connection.state() == ConnectionState.PENDING || connection.state() == ConnectionState.IN_PROGRESS)
                .isPresent();
        if (!validating) {
            inFlight.remove(InFlight.Kind.VERDICT, key);
            return Optional.empty();
        }
        try {
            Optional<KubernetesClient> client = clients.client(awaited.cluster());
            Optional<String> job = client.isEmpty() ? Optional.empty()
                    : awaited.request() != null ? Optional.of(awaited.request())
                    : LocationChecks.latest(watches.jobs(awaited.cluster(), LocationChecks.LABEL_LOCATION, awaited.location()));
            Optional<LocationChecks.Verdict> verdict = job.flatMap(name -> verdictOf(awaited.cluster(), name));
            if (verdict.isPresent()) {
                try {
                    checks.remove(client.get(), job.get());
                } catch (RuntimeException e) {
                    // the verdict stands; a check left behind goes with its ttlSecondsAfterFinished
                    LOG.warn("check Job {} on cluster {} could not be removed: {}", job.get(), awaited.cluster(), e.getMessage());
                }
                inFlight.remove(InFlight.Kind.VERDICT, key);
                return Optional.of(new ConnectionValidated(awaited.location(), awaited.cluster(), verdict.get().state(),
                        verdict.get().cause()));
            }
        } catch (ClusterWatches.NotListedYet e) {
            // the answer may be in the cluster already: nothing is said until its watch has listed it
            return Optional.empty();
        } catch (RuntimeException e) {
            // a cluster that cannot be read now may answer later; the wait goes on
            LOG.debug("cluster {} cannot be read now: {}", awaited.cluster(), e.getMessage());
        }
        return due(InFlight.Kind.VERDICT, key).map(mark -> new ConnectionVerdictAwaited(awaited.location(), awaited.cluster(),
                mark.since(), waited(mark)));
    }

    /**
     * A mark to report as still awaited: once it has waited {@code reportEvery}, and then every
     * {@code reportEvery} (recorded as looked at now).
     */
    private Optional<InFlight.Mark> due(InFlight.Kind kind, String key) {
        Optional<InFlight.Mark> mark = inFlight.get(kind, key);
        Instant now = clock.instant();
        if (mark.isEmpty() || Duration.between(mark.get().since(), now).compareTo(reportEvery) < 0
                || mark.get().looked() != null && Duration.between(mark.get().looked(), now).compareTo(reportEvery) < 0) {
            return Optional.empty();
        }
        InFlight.Mark looked = new InFlight.Mark(kind, key, mark.get().since(), mark.get().detail(), now);
        inFlight.put(looked);
        return Optional.of(looked);
    }

    private static long waited(InFlight.Mark mark) {
        return Math.max(0, Duration.between(mark.since(), mark.looked()).toSeconds());
    }

    /** Where a sync on a cluster stands: its marker Job running, a pass awaited, that pass's end awaited. */
    enum SyncPhase {
        MARKING("the marker Job"), LISTING("a pass listing the location"), ENDING("the pass to end");

        final String awaiting;

        SyncPhase(String awaiting) {
            this.awaiting = awaiting;
        }
    }

    /**
     * A sync's mark detail: {@code CLUSTER PHASE MARKER [SEEN]}, SEEN the uid of the marker's copy seen in
     * the pass that listed the location (a cluster alone: a mark of before the markers).
     */
    record SyncWait(String cluster, SyncPhase phase, String marker, String seen) {
        static SyncWait parse(String location, InFlight.Mark mark) {
            String[] words = mark.detail() == null ? new String[0] : mark.detail().split(" ");
            if (words.length >= 3) {
                return new SyncWait(words[0], SyncPhase.valueOf(words[1]), words[2], words.length > 3 ? words[3] : null);
            }
            String cluster = words.length == 0 ? "" : words[0];
            return new SyncWait(cluster, SyncPhase.MARKING, SyncMarker.name(location, cluster, mark.since().toString()), null);
        }

        String detail() {
            return cluster + " " + phase + " " + marker + (seen == null ? "" : " " + seen);
        }
    }

    /**
     * A sync, as its cluster shows it ({@link SyncMarker}): the marker Job is started (again after a restart:
     * the same marker) and its verdict read; a Job that could not write the marker fails the sync with its
     * cause. Then the marker's copy is looked for: its first appearance is a pass that listed the location
     * (the copy is deleted, keeping the marker), its second the end of that pass, and the location's
     * ApplicationBackups on the cluster are then what Stork found. Every look that finds nothing new reports,
     * every {@code reportEvery}, what is awaited since when; the rules hold the limit. A sync the catalog no
     * longer runs (completed, failed by the rules) is let go: flag set back, markers removed.
     */
    private Optional<Observation> sync(String location, InFlight.Mark mark) {
        SyncWait wait = SyncWait.parse(location, mark);
        Optional<Sync> running = catalog.find(ResourceRef.of(ResourceKind.SYNC, location)).map(Sync.class::cast)
                .filter(sync -> sync.state() == SyncState.PENDING || sync.state() == SyncState.IN_PROGRESS);
        Optional<BackupLocation> known = catalog.find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, location)).map(BackupLocation.class::cast);
        if (running.isEmpty() || known.isEmpty()) {
            try {
                clients.client(wait.cluster()).ifPresent(client -> letGo(client, wait, known));
                inFlight.remove(InFlight.Kind.SYNC, location);
            } catch (RuntimeException e) {
                LOG.debug("cluster {} cannot be read now: {}", wait.cluster(), e.getMessage());
            }
            return Optional.empty();
        }
        String unanswered = null;
        try {
            KubernetesClient client = clients.client(wait.cluster())
                    .orElseThrow(() -> new IllegalStateException("no kubeconfig is known for cluster " + wait.cluster()));
            switch (wait.phase()) {
                case MARKING -> {
                    Optional<LocationChecks.Verdict> verdict = verdictOf(wait.cluster(), wait.marker());
                    if (verdict.isEmpty()) {
                        if (watches.job(wait.cluster(), wait.marker()).isEmpty()) {
                            checks.startMarker(client, known.get(), wait.marker(), wait.marker());
                        }
                        break;
                    }
                    checks.remove(client, wait.marker());
                    if (verdict.get().state() != ConnectionState.VALID) {
                        letGo(client, wait, known);
                        inFlight.remove(InFlight.Kind.SYNC, location);
                        return Optional.of(new SyncFailed(location, "the sync's marker could not be written on cluster "
                                + wait.cluster() + " as Stork reaches the bucket: " + verdict.get().cause()));
                    }
                    next(location, new SyncWait(wait.cluster(), SyncPhase.LISTING, wait.marker(), null));
                }
                case LISTING -> {
                    Optional<GenericKubernetesResource> copy = markerCopy(wait.cluster(), wait.marker());
                    if (copy.isPresent()) {
                        // Stork made it reclaimPolicy Retain: the marker stays in the bucket for the next pass
                        client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace)
                                .withName(copy.get().getMetadata().getName()).delete();
                        next(location, new SyncWait(wait.cluster(), SyncPhase.ENDING, wait.marker(), copy.get().getMetadata().getUid()));
                        return Optional.of(new SyncPassObserved(location, wait.cluster(), created(copy.get())));
                    }
                }
                case ENDING -> {
                    // once Stork's controller holds the copy by its finalizer: deleted before that, the copy
                    // would go without Stork deleting the marker from the bucket
                    // (another copy than the one deleted: the watch may not have shown that deletion yet)
                    if (markerCopy(wait.cluster(), wait.marker()).filter(SyncMarker::heldByStork)
                            .filter(copy -> !copy.getMetadata().getUid().equals(wait.seen())).isPresent()) {
                        List<FoundBackup> found = found(wait.cluster(), location);
                        letGo(client, wait, known);
                        inFlight.remove(InFlight.Kind.SYNC, location);
                        return Optional.of(new SyncCompleted(location, found));
                    }
                }
                default -> throw new IllegalStateException("no such phase: " + wait.phase());
            }
        } catch (ClusterWatches.NotListedYet e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.debug("cluster {} cannot be read now: {}", wait.cluster(), e.getMessage());
            unanswered = "cluster " + wait.cluster() + " to answer (" + e.getMessage() + ")";
        }
        String cause = unanswered;
        return due(InFlight.Kind.SYNC, location).map(now -> {
            SyncWait current = SyncWait.parse(location, now);
            return new SyncAwaited(location, current.cluster(), cause != null ? cause : current.phase().awaiting, now.since(), waited(now));
        });
    }

    private void next(String location, SyncWait wait) {
        inFlight.put(new InFlight.Mark(InFlight.Kind.SYNC, location, clock.instant(), wait.detail(), null));
    }

    /** The live copy Stork's sync made of a marker (one being deleted is the copy of a pass already seen). */
    private Optional<GenericKubernetesResource> markerCopy(String cluster, String marker) {
        return watches.backups(cluster).stream()
                .filter(copy -> marker.equals(SyncMarker.of(copy)) && copy.getMetadata().getDeletionTimestamp() == null)
                .findFirst();
    }

    /** A check Job's verdict as the cluster's watch shows the Job and its pods; empty while it runs. */
    private Optional<LocationChecks.Verdict> verdictOf(String cluster, String job) {
        io.fabric8.kubernetes.api.model.batch.v1.Job found = watches.job(cluster, job).orElse(null);
        List<io.fabric8.kubernetes.api.model.Pod> pods = watches.podsOf(cluster, job);
        if (LocationChecks.finished(found) && !LocationChecks.messaged(pods)) {
            // the Jobs' and the pods' watches are apart: the Job's end may come before its pod's; asked once
            pods = checks.pods(clients.client(cluster).orElseThrow(), job);
        }
        return LocationChecks.verdict(found, pods);
    }

    /** The clusters something is awaited on: their watches are kept. */
    private Set<String> awaitedOn() {
        Set<String> clusters = new HashSet<>();
        inFlight.keys(InFlight.Kind.VERDICT).forEach(key -> clusters.add(key.substring(key.lastIndexOf(':') + 1)));
        inFlight.keys(InFlight.Kind.DELETION).forEach(key -> clusters.add(key.substring(key.lastIndexOf(':') + 1)));
        for (String location : inFlight.keys(InFlight.Kind.SYNC)) {
            inFlight.get(InFlight.Kind.SYNC, location).ifPresent(mark -> clusters.add(SyncWait.parse(location, mark).cluster()));
        }
        return clusters;
    }

    /**
     * A sync is over on its cluster: its flag set back, its Job gone, and every live copy of a marker of this
     * location deleted with {@code reclaimPolicy: Delete}, so that Stork's finalizer deletes that marker from
     * the bucket (also one left by a sync that ended before its pass came).
     */
    private void letGo(KubernetesClient client, SyncWait wait, Optional<BackupLocation> known) {
        known.ifPresent(location -> locations.sync(wait.cluster(), location, false));
        checks.remove(client, wait.marker());
        var resources = client.genericKubernetesResources(AgentContract.APPLICATION_BACKUP).inNamespace(namespace);
        for (GenericKubernetesResource copy : resources.list().getItems()) {
            if (SyncMarker.of(copy) == null || copy.getMetadata().getDeletionTimestamp() != null || !SyncMarker.heldByStork(copy)
                    || known.isPresent() && !known.get().name().equals(StorkBackups.location(copy))) {
                continue;
            }
            FederatedWork.spec(copy).put("reclaimPolicy", "Delete");
            resources.resource(copy).update();
            resources.withName(copy.getMetadata().getName()).delete();
        }
    }

    /** The location's ApplicationBackups on the cluster, read back to the names users gave. */
    private List<FoundBackup> found(String cluster, String location) {
        List<FoundBackup> found = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (GenericKubernetesResource backup : StorkBackups.ofLocation(watches.backups(cluster), location)) {
            try {
                FoundBackup one = StorkBackups.found(backup);
                if (backup.getMetadata().getDeletionTimestamp() == null && names.add(one.name())) {
                    found.add(one);
                }
            } catch (InvalidFieldException e) {
                LOG.warn("ApplicationBackup {} on cluster {} names no backup the engine can hold ({}); skipped",
                        backup.getMetadata().getName(), cluster, e.getMessage());
            }
        }
        return found;
    }

    private Instant created(GenericKubernetesResource copy) {
        String created = copy.getMetadata().getCreationTimestamp();
        try {
            return created == null ? clock.instant() : Instant.parse(created);
        } catch (RuntimeException e) {
            return clock.instant();
        }
    }

    /**
     * A deletion asked of Stork on a cluster: done when the backup's ApplicationBackup there is gone
     * (Stork removes its finalizer after deleting the data); until then reported as awaited, and the rules
     * ask again past their limit (on that cluster if it is still eligible).
     */
    private Optional<Observation> deletion(Backup backup, String key) {
        if (inFlight.get(InFlight.Kind.DELETION, key).isEmpty()) {
            inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, clock.instant(), null, null));
        }
        try {
            Optional<KubernetesClient> client = clients.client(backup.deletingOn());
            if (client.isPresent() && StorkBackups.among(watches.backups(backup.deletingOn()), backup.name()).isEmpty()) {
                // the data is gone with it; Stork's sync only ever creates, so every other ApplicationBackup of
                // it (the original, copies on other clusters) is let go of too, or a later sync would import it again
                Optional<String> waiting = cleanup.release(backup);
                if (waiting.isEmpty()) {
                    return folderChecked(client.get(), backup, key);
                }
                inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, clock.instant(), null, null));
                return waiting.get().equals(backup.cause()) ? Optional.empty()
                        : Optional.of(new dev.backupstate.model.Observation.BackupDeletionWaiting(backup.name(), waiting.get()));
            }
        } catch (ClusterWatches.NotListedYet e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.debug("cluster {} cannot be read now: {}", backup.deletingOn(), e.getMessage());
        }
        return due(InFlight.Kind.DELETION, key).map(mark -> new BackupDeletionAwaited(backup.name(), backup.deletingOn(),
                mark.since(), waited(mark)));
    }

    /** The mark detail of a deletion whose folder is being checked: {@code check JOB}, or {@code checked} after keys were found. */
    private static final String CHECK = "check ";
    private static final String CHECKED = "checked";

    /**
     * Stork has let go of every ApplicationBackup of the backup; its cleanup does so even when a bucket
     * delete failed (applicationbackup.go, deleteBackup), so the data is gone only when the backup's folder
     * lists empty, as Stork reaches the bucket: a check Job on the cluster under Stork's identity
     * ({@code --expect-empty}). Keys found keep the backup Deleting with them as the cause; the folder is
     * looked at again every {@code reportEvery} (what removes the keys is a person, or Stork deleting again).
     */
    private Optional<Observation> folderChecked(KubernetesClient client, Backup backup, String key) {
        InFlight.Mark mark = inFlight.get(InFlight.Kind.DELETION, key).orElseThrow();
        String detail = mark.detail() == null ? "" : mark.detail();
        Instant now = clock.instant();
        if (!detail.startsWith(CHECK)) {
            if (detail.equals(CHECKED) && mark.looked() != null && Duration.between(mark.looked(), now).compareTo(reportEvery) < 0) {
                return Optional.empty();
            }
            Optional<BackupLocation> location = catalog.find(ResourceRef.of(ResourceKind.BACKUP_LOCATION, backup.location()))
                    .map(BackupLocation.class::cast);
            if (location.isEmpty()) {
                // a location cannot go while it holds backups; if it did, nothing is left to look in
                inFlight.remove(InFlight.Kind.DELETION, key);
                return Optional.of(new BackupDataDeleted(backup.name()));
            }
            String job = LocationChecks.jobName(backup.name(), backup.deletingOn(), "gone@" + now);
            checks.startFolderCheck(client, location.get(), job, StorkBackups.folder(namespace, backup.name()));
            inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, now, CHECK + job, null));
            return Optional.empty();
        }
        String job = detail.substring(CHECK.length());
        Optional<LocationChecks.Verdict> verdict = verdictOf(backup.deletingOn(), job);
        if (verdict.isEmpty()) {
            return Optional.empty();
        }
        checks.remove(client, job);
        if (verdict.get().state() == ConnectionState.VALID) {
            inFlight.remove(InFlight.Kind.DELETION, key);
            return Optional.of(new BackupDataDeleted(backup.name()));
        }
        inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, key, now, CHECKED, now));
        String cause = "Stork let go of every ApplicationBackup of it, but as Stork on cluster " + backup.deletingOn()
                + " reaches the bucket: " + verdict.get().cause();
        return cause.equals(backup.cause()) ? Optional.empty()
                : Optional.of(new dev.backupstate.model.Observation.BackupDeletionWaiting(backup.name(), cause));
    }

    /** A deletion (again) asked of Stork on {@code cluster}: awaited from now. */
    void awaitDeletion(String backup, String cluster) {
        inFlight.put(new InFlight.Mark(InFlight.Kind.DELETION, backup + ":" + cluster, clock.instant(), null, null));
    }

    /** For tests and the benchmark: how many answers are awaited. */
    public int awaited() {
        return inFlight.keys(InFlight.Kind.VERDICT).size() + inFlight.keys(InFlight.Kind.SYNC).size()
                + inFlight.keys(InFlight.Kind.DELETION).size();
    }
}
