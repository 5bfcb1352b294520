package dev.backupstate.cluster;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.BackupStatus;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.BackupProgressed;
import dev.backupstate.model.Observation.RestoreProgressed;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Restore;
import dev.backupstate.model.RestoreState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.backupstate.model.Observation.BackupSilent;
import dev.backupstate.model.Observation.BackupUnseen;
import dev.backupstate.model.Observation.RestoreUnseen;
import dev.backupstate.model.Observation.RestoreSilent;
import io.fabric8.kubernetes.api.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.backupstate.store.InFlight;

/**
 * Follows running backups and restores by reading their custom resources' status (a poll, so a restart
 * of the engine loses nothing). Reports a change of status; a backup or restore whose resource cannot
 * be read (cluster gone, resource deleted) is reported out of sight with since when and why, every
 * {@code unseenReport}, and the rules fail it past their limit, so nothing waits forever on a cluster
 * that vanished. One whose resource Stork leaves without a status is reported silent, with since when
 * and the latest Kubernetes Event about it (as soon as that Event comes, and every {@code unseenReport}):
 * Stork reports what it refuses before starting only as a Warning Event (applicationbackup.go,
 * recorder.Event), and the rules decide what that means and how long a silence may last.
 */
public final class ProgressFollower {

    private static final int PER_CLUSTER = 10_000;

    private final ClusterClients clients;
    private final Catalog catalog;
    private final String namespace;
    private final Duration unseenReport;
    private final Clock clock;
    /**
     * Since when each followed object has had no status (and the event last reported about it, and when it
     * was last reported), and since when each could not be read, and why: rows in the store, so a new
     * leader goes on counting.
     */
    private final InFlight inFlight;
    /** Whether a restore's RUN_RESTORE still waits in the outbox: until it is carried out there is nothing to see. */
    private final java.util.function.Predicate<dev.backupstate.model.ResourceRef> notStarted;
    private final ClusterWatches watches;

    public ProgressFollower(ClusterClients clients, ClusterWatches watches, Catalog catalog, String namespace, Duration unseenReport,
                            Clock clock, InFlight inFlight,
                            java.util.function.Predicate<dev.backupstate.model.ResourceRef> notStarted) {
        this.watches = watches;
        this.notStarted = notStarted;
        this.inFlight = inFlight;
        this.clients = clients;
        this.catalog = catalog;
        this.namespace = namespace;
        this.unseenReport = unseenReport;
        this.clock = clock;
    }

    /** One look at every running backup and restore; what changed. */
    public List<Observation> round() {
        List<Observation> changed = new ArrayList<>();
        java.util.Set<String> followed = new java.util.HashSet<>();
        for (var resource : catalog.all(ResourceKind.CLUSTER)) {
            String cluster = ((Cluster) resource).name();
            for (Backup backup : catalog.runningBackupsOn(cluster, PER_CLUSTER)) {
                followed.add("backup/" + backup.name());
                followed.add("@" + cluster);
                follow(cluster, "backup/" + backup.name(), AgentContract.APPLICATION_BACKUP, backup.name(), backup.uid())
                        .map(seen -> seen.status() == null
                                ? silence(cluster, "backup/" + backup.name(), seen, AgentContract.APPLICATION_BACKUP, backup.name())
                                        .map(event -> (Observation) new BackupSilent(backup.name(), event.since(), event.waited(), event.type(),
                                                event.reason(), event.message())).orElse(null)
                                : backupReport(backup, seen))
                        .or(() -> unseen("backup/" + backup.name()).map(mark -> new BackupUnseen(backup.name(), mark.since(),
                                waited(mark), mark.detail())))
                        .ifPresent(changed::add);
            }
        }
        for (var resource : catalog.all(ResourceKind.RESTORE)) {
            Restore restore = (Restore) resource;
            if (restore.state() != RestoreState.PENDING && restore.state() != RestoreState.IN_PROGRESS
                    || restore.state() == RestoreState.PENDING && notStarted.test(restore.ref())) {
                // a restore waiting for its backup on its cluster (RestoreWaiting) is not unseen: it is not asked for yet
                continue;
            }
            followed.add("restore/" + restore.name());
            followed.add("@" + restore.cluster());
            follow(restore.cluster(), "restore/" + restore.name(), AgentContract.APPLICATION_RESTORE, restore.name(), restore.uid())
                    .map(seen -> seen.status() == null
                            ? silence(restore.cluster(), "restore/" + restore.name(), seen, AgentContract.APPLICATION_RESTORE, restore.name())
                                    .map(event -> (Observation) new RestoreSilent(restore.name(), event.since(), event.waited(), event.type(),
                                            event.reason(), event.message())).orElse(null)
                            : restoreReport(restore, seen))
                    .or(() -> unseen("restore/" + restore.name()).map(mark -> new RestoreUnseen(restore.name(), mark.since(),
                            waited(mark), mark.detail())))
                    .ifPresent(changed::add);
        }
        // clusters with nothing running are not watched
        watches.retain("progress follower", followed.stream().filter(key -> key.startsWith("@")).map(key -> key.substring(1))
                .collect(java.util.stream.Collectors.toSet()));
        followed.removeIf(key -> key.startsWith("@"));
        // what ended (or was removed) while silent or unseen is no longer timed
        for (InFlight.Kind kind : List.of(InFlight.Kind.SILENT, InFlight.Kind.UNSEEN)) {
            inFlight.keys(kind).stream().filter(key -> !followed.contains(key)).forEach(key -> inFlight.remove(kind, key));
        }
        return changed;
    }

    private record Seen(BackupStatus status, String stage, String reason, boolean statusEmpty) {
    }

    private record Heard(Instant since, long waited, String type, String reason, String message) {
    }

    /**
     * A resource without a status: reported with its latest Event as soon as that Event is new, and every
     * {@code unseenReport} while it stays without a status (once it has been that long), with since when.
     * How long Stork may stay silent, and what its Event means, are the rules' to say. A resource with
     * Stork's words in it is not silent.
     */
    private Optional<Heard> silence(String cluster, String key, Seen seen, ResourceDefinitionContext kind, String name) {
        if (!seen.statusEmpty()) {
            inFlight.remove(InFlight.Kind.SILENT, key);
            return Optional.empty();
        }
        Instant now = clock.instant();
        InFlight.Mark since = inFlight.get(InFlight.Kind.SILENT, key).orElseGet(() -> {
            InFlight.Mark first = new InFlight.Mark(InFlight.Kind.SILENT, key, now, null, null);
            inFlight.put(first);
            return first;
        });
        Heard heard = latestEvent(cluster, kind, name, since.since(), Duration.between(since.since(), now).toSeconds());
        String text = heard.type() == null ? null : heard.type() + "|" + heard.reason() + "|" + heard.message();
        boolean newEvent = text != null && !text.equals(since.detail());
        boolean due = Duration.between(since.since(), now).compareTo(unseenReport) >= 0
                && (since.looked() == null || Duration.between(since.looked(), now).compareTo(unseenReport) >= 0);
        if (!newEvent && !due) {
            return Optional.empty();
        }
        inFlight.put(new InFlight.Mark(InFlight.Kind.SILENT, key, since.since(), text, now));
        return Optional.of(heard);
    }

    private Heard latestEvent(String cluster, ResourceDefinitionContext kind, String name, Instant since, long waited) {
        try {
            // from the cluster's watch of the Events about Stork's objects
            return watches.eventsAbout(cluster, kind.getKind(), name).stream()
                    .max(java.util.Comparator.comparing(ProgressFollower::when))
                    .map(event -> new Heard(since, waited, event.getType(), event.getReason(), event.getMessage()))
                    .orElse(new Heard(since, waited, null, null, null));
        } catch (RuntimeException e) {
            return new Heard(since, waited, null, null, null);
        }
    }

    private static String when(Event event) {
        String at = event.getLastTimestamp() != null ? event.getLastTimestamp() : event.getFirstTimestamp();
        return (at == null ? "" : at) + String.format("%012d", event.getCount() == null ? 0 : event.getCount());
    }

    /** The resource's status, or empty when it could not be read (recorded as unseen). */
    private Optional<Seen> follow(String cluster, String key, ResourceDefinitionContext kind, String name, String uid) {
        String why;
        try {
            Optional<KubernetesClient> client = clients.client(cluster);
            if (client.isEmpty()) {
                why = "no kubeconfig is known for cluster " + cluster;
            } else {
                // from the cluster's watch (ClusterWatches), not a GET per object and round
                GenericKubernetesResource found = watches.get(cluster, kind, name).orElse(null);
                String carries = found == null || found.getMetadata().getAnnotations() == null ? null
                        : found.getMetadata().getAnnotations().get(AgentContract.ANNOTATION_UID);
                if (found != null && carries != null && uid != null && !carries.equals(uid)) {
                    // another one's object of that name (an earlier backup's, say): its status is not this one's
                    found = null;
                }
                if (found != null) {
                    inFlight.remove(InFlight.Kind.UNSEEN, key);
                    String word = AgentContract.status(found, AgentContract.STATUS_STATUS);
                    if (word != null && !word.isEmpty()) {
                        inFlight.remove(InFlight.Kind.SILENT, key);
                    }
                    return Optional.of(new Seen(status(word), AgentContract.status(found, AgentContract.STATUS_STAGE),
                            AgentContract.status(found, AgentContract.STATUS_REASON), word == null || word.isEmpty()));
                }
                why = kind.getKind() + " " + namespace + "/" + name + " not found on cluster " + cluster;
            }
        } catch (ClusterWatches.NotListedYet e) {
            // seen or not, it is known at the next round: not counted as out of sight
            return Optional.empty();
        } catch (IllegalStateException e) {
            why = e.getMessage();
        } catch (RuntimeException e) {
            why = "cluster " + cluster + " cannot be read: " + ClusterProbe.failed(cluster, e).cause();
        }
        String reason = why;
        Optional<InFlight.Mark> before = inFlight.get(InFlight.Kind.UNSEEN, key);
        inFlight.put(new InFlight.Mark(InFlight.Kind.UNSEEN, key, before.map(InFlight.Mark::since).orElse(clock.instant()), reason,
                before.map(InFlight.Mark::looked).orElse(null)));
        return Optional.empty();
    }

    /**
     * What is out of sight, once it has been for {@code unseenReport} and then every {@code unseenReport}:
     * since when and why (the rules decide when no word can come any more).
     */
    private Optional<InFlight.Mark> unseen(String key) {
        InFlight.Mark mark = inFlight.get(InFlight.Kind.UNSEEN, key).orElse(null);
        Instant now = clock.instant();
        if (mark == null || Duration.between(mark.since(), now).compareTo(unseenReport) < 0
                || mark.looked() != null && Duration.between(mark.looked(), now).compareTo(unseenReport) < 0) {
            return Optional.empty();
        }
        InFlight.Mark reported = new InFlight.Mark(InFlight.Kind.UNSEEN, key, mark.since(), mark.detail(), now);
        inFlight.put(reported);
        return Optional.of(reported);
    }

    private long waited(InFlight.Mark mark) {
        return Math.max(0, Duration.between(mark.since(), mark.looked()).toSeconds());
    }

    private static BackupProgressed backupReport(Backup backup, Seen seen) {
        BackupState now = seen.status().backupState();
        return now == backup.state() ? null : new BackupProgressed(backup.name(), seen.status(), seen.stage(), seen.reason());
    }

    private static RestoreProgressed restoreReport(Restore restore, Seen seen) {
        RestoreState now = seen.status().restoreState();
        return now == restore.state() ? null : new RestoreProgressed(restore.name(), seen.status(), seen.reason());
    }

    /** Stork's status words; Pending (or none yet) is no news. */
    static BackupStatus status(String stork) {
        if (stork == null) {
            return null;
        }
        return switch (stork) {
            case "InProgress" -> BackupStatus.IN_PROGRESS;
            case "Successful" -> BackupStatus.SUCCESS;
            case "PartialSuccess" -> BackupStatus.PARTIAL_SUCCESS;
            case "Failed" -> BackupStatus.FAILURE;
            default -> null;
        };
    }
}
