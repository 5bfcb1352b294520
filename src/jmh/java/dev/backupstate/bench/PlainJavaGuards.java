package dev.backupstate.bench;

import dev.backupstate.model.Actor;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Command;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Missing;
import dev.backupstate.model.Reason;
import dev.backupstate.model.Request;
import dev.backupstate.model.Sync;
import dev.backupstate.model.SyncState;
import dev.backupstate.model.Transition;
import dev.backupstate.model.UserState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor: the three guards of issue 2 (create guards, delete eligibility, sync lock) written in
 * plain Java over the same facts the rules get, building the same Decision. Benchmarks only: the
 * product decides with rules/.
 */
final class PlainJavaGuards {

    private PlainJavaGuards() {
    }

    static Decision decide(List<Object> facts) {
        Object event = null;
        Actor actor = null;
        Envelope envelope = null;
        Map<String, Cluster> clusters = new HashMap<>();
        Map<String, BackupLocation> locations = new HashMap<>();
        Map<String, Backup> backups = new HashMap<>();
        List<Connection> connections = new ArrayList<>();
        List<Sync> syncs = new ArrayList<>();
        boolean missing = false;
        for (Object fact : facts) {
            if (fact instanceof Request) {
                event = fact;
            } else if (fact instanceof Actor) {
                actor = (Actor) fact;
            } else if (fact instanceof Envelope) {
                envelope = (Envelope) fact;
            } else if (fact instanceof Cluster) {
                clusters.put(((Cluster) fact).name(), (Cluster) fact);
            } else if (fact instanceof BackupLocation) {
                locations.put(((BackupLocation) fact).name(), (BackupLocation) fact);
            } else if (fact instanceof Backup) {
                backups.put(((Backup) fact).name(), (Backup) fact);
            } else if (fact instanceof Connection) {
                connections.add((Connection) fact);
            } else if (fact instanceof Sync) {
                syncs.add((Sync) fact);
            } else if (fact instanceof Missing) {
                missing = true;
            }
        }
        if (actor.state() != UserState.ACTIVE) {
            return reject(Reason.USER_NOT_ACTIVE, "user not active");
        }
        if (missing) {
            return reject(Reason.RESOURCE_NOT_FOUND, "missing");
        }
        if (event instanceof Request.CreateBackup) {
            return create((Request.CreateBackup) event, actor, envelope, clusters, locations, connections);
        }
        if (event instanceof Request.DeleteBackup) {
            return delete((Request.DeleteBackup) event, actor, clusters, backups, connections);
        }
        return sync((Request.TriggerSync) event, clusters, locations, connections, syncs);
    }

    private static Decision create(Request.CreateBackup request, Actor actor, Envelope envelope,
                                   Map<String, Cluster> clusters, Map<String, BackupLocation> locations,
                                   List<Connection> connections) {
        if (clusters.get(request.cluster()).state() != ClusterState.ACTIVE) {
            return reject(Reason.CLUSTER_NOT_ACTIVE, "cluster not active");
        }
        if (locations.get(request.location()).state() != BackupLocationState.VALID) {
            return reject(Reason.LOCATION_INVALID, "location invalid");
        }
        boolean valid = connections.stream().anyMatch(c -> c.location().equals(request.location())
                && c.cluster().equals(request.cluster()) && c.state() == ConnectionState.VALID);
        if (!valid) {
            return reject(Reason.CONNECTION_INVALID, "connection invalid");
        }
        Backup backup = request.newBackup(actor.name(), envelope.receivedAt());
        return accept(Transition.create(backup), new Command.RunBackup(backup));
    }

    private static Decision delete(Request.DeleteBackup request, Actor actor, Map<String, Cluster> clusters,
                                   Map<String, Backup> backups, List<Connection> connections) {
        Backup backup = backups.get(request.backup());
        if (backup.state() == BackupState.PENDING || backup.state() == BackupState.IN_PROGRESS) {
            return reject(Reason.BACKUP_IN_PROGRESS, "running");
        }
        if (!actor.admin() && !actor.name().equals(backup.owner())) {
            return reject(Reason.ACCESS_DENIED, "not owner");
        }
        String chosen = null;
        for (Connection connection : connections) {
            Cluster cluster = clusters.get(connection.cluster());
            if (connection.location().equals(backup.location()) && connection.state() == ConnectionState.VALID
                    && cluster != null && cluster.state() == ClusterState.ACTIVE
                    && (chosen == null || connection.cluster().equals(backup.cluster())
                        || !chosen.equals(backup.cluster()) && connection.cluster().compareTo(chosen) < 0)) {
                chosen = connection.cluster();
            }
        }
        if (chosen == null) {
            return reject(Reason.NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED, "no eligible cluster");
        }
        return accept(Transition.change(backup, backup.withState(BackupState.DELETING, "deletion requested")),
                new Command.DeleteBackupOnCluster(backup.name(), chosen, backup.location()));
    }

    private static Decision sync(Request.TriggerSync request, Map<String, Cluster> clusters,
                                 Map<String, BackupLocation> locations, List<Connection> connections, List<Sync> syncs) {
        BackupLocation location = locations.get(request.location());
        Sync own = null;
        for (Sync sync : syncs) {
            if (sync.bucket().equals(location.bucket())
                    && (sync.state() == SyncState.PENDING || sync.state() == SyncState.IN_PROGRESS)) {
                return reject(Reason.SYNC_ALREADY_RUNNING, "sync running");
            }
            if (sync.location().equals(location.name())) {
                own = sync;
            }
        }
        String chosen = null;
        for (Connection connection : connections) {
            Cluster cluster = clusters.get(connection.cluster());
            if (connection.location().equals(location.name()) && connection.state() == ConnectionState.VALID
                    && cluster != null && cluster.state() == ClusterState.ACTIVE
                    && (chosen == null || connection.cluster().compareTo(chosen) < 0)) {
                chosen = connection.cluster();
            }
        }
        if (chosen == null) {
            return reject(Reason.NO_ELIGIBLE_CLUSTER, "no eligible cluster");
        }
        return accept(Transition.change(own, own.withState(SyncState.PENDING, null, null)),
                new Command.SyncOnCluster(own.name(), chosen, location.name()));
    }

    private static Decision accept(Transition transition, Command command) {
        return new Decision(true, null, "plain", "accepted", List.of(), List.of(transition), List.of(command),
                List.of(), List.of());
    }

    private static Decision reject(Reason reason, String message) {
        return new Decision(false, reason, "plain", message, List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
