package dev.backupstate.engine;

import dev.backupstate.model.Actor;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.CredentialGrant;
import dev.backupstate.model.Engine;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Event;
import dev.backupstate.model.FoundBackup;
import dev.backupstate.model.Missing;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Request;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.Source;
import dev.backupstate.model.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Brings to each event the facts its rules read, and no more: the fleet is too large to put in a
 * rule session whole (10,000 clusters, a million connections, a million backups), so each event
 * sees a bounded slice of it. Every event gets the engine's mode, the acting user, the envelope, the
 * event, its subject and the resources it names (or a {@link Missing} fact for each one the catalog
 * lacks); the plans below add what each kind of event needs beyond that. README.md lists them for
 * the people who edit rules/: a rule can only match facts that its event is given.
 */
public final class FactLoader {

    /** Connections per (connection state, cluster state) class in a location's sample. */
    public static final int SAMPLE_PER_CLASS = 2;
    /** How many of a resource's running backups are enough to say it has some. */
    private static final int FEW = 3;
    /** A sync compares the bucket's listing with at most this many catalog backups of the location. */
    private static final int SYNC_CATALOG_LIMIT = 1_000_000;
    private static final Set<ConnectionState> VALID_ONLY = EnumSet.of(ConnectionState.VALID);
    private static final Set<ConnectionState> ALL_STATES = EnumSet.allOf(ConnectionState.class);

    private final Catalog catalog;
    private final Mode mode;
    private final Function<String, CredentialGrant> grants;
    private final Map<Class<?>, BiConsumer<Event, Facts>> plans = new HashMap<>();

    public FactLoader(Catalog catalog, Mode mode) {
        this(catalog, mode, CredentialGrant::adminsOnly);
    }

    /** {@code grants}: who may use each configured credential, and where (a location's creation reads it). */
    public FactLoader(Catalog catalog, Mode mode, Function<String, CredentialGrant> grants) {
        this(catalog, mode, grants, dev.backupstate.model.Quotas.NONE);
    }

    /** {@code quotas}: how many schedules, backups and restores a user may hold (bse.limits.*-per-user). */
    public FactLoader(Catalog catalog, Mode mode, Function<String, CredentialGrant> grants, dev.backupstate.model.Quotas quotas) {
        this.quotas = quotas;
        this.catalog = catalog;
        this.visibility = new Visibility(catalog);
        this.mode = mode;
        this.grants = grants;
        planRequests();
        planObservations();
    }

    private final Visibility visibility;
    private final dev.backupstate.model.Quotas quotas;

    public Mode mode() {
        return mode;
    }

    public List<Object> factsFor(Envelope envelope) {
        Event event = envelope.event();
        Facts facts = new Facts();
        Actor actor = actor(envelope);
        facts.hideFrom(actor, event);
        facts.add(new Engine(mode));
        facts.add(actor);
        facts.add(envelope);
        facts.add(event);
        facts.resource(event.subject());
        for (ResourceRef ref : event.references()) {
            if (facts.resource(ref).isEmpty()) {
                facts.add(Missing.of(ref));
            }
        }
        if (!event.creates() && !event.upserts() && facts.known(event.subject()).isEmpty()) {
            facts.add(Missing.of(event.subject()));
        }
        holding(actor, event).ifPresent(facts::addFact);
        BiConsumer<Event, Facts> plan = plans.get(event.getClass());
        if (plan != null) {
            plan.accept(event, facts);
        }
        return facts.all();
    }

    private Actor actor(Envelope envelope) {
        // the engine's own events: what it observed, its configuration, and what its timers ask for
        if (envelope.source() == Source.OBSERVATION || envelope.source() == Source.CONFIGURATION
                || envelope.source() == Source.SCHEDULE && "engine".equals(envelope.user())) {
            return Actor.engine();
        }
        Optional<Resource> user = catalog.find(ResourceKind.USER, envelope.user());
        return Actor.of((User) user.orElse(null), envelope.user());
    }

    private <E extends Event> void plan(Class<E> type, BiConsumer<E, Facts> plan) {
        plans.put(type, (event, facts) -> plan.accept(type.cast(event), facts));
    }

    private void planRequests() {
        plan(Request.CreateBackupLocation.class, (r, f) -> {
            if (r.credentials() != null) {
                f.addFact(grants.apply(r.credentials()));
            }
            // the locations on the same bucket, whose folders the new one might overlap
            f.addAll(catalog.locationsOverlapping(r.bucketKey()));
        });
        plan(Request.DeleteBackupLocation.class, (r, f) -> {
            f.addAll(catalog.backupsIn(r.name(), 1));
            f.resource(ResourceKind.SYNC, r.name());
        });
        plan(Request.ValidateBackupLocation.class, (r, f) -> {
            for (Connection connection : catalog.connectionsTo(r.name(), Integer.MAX_VALUE)) {
                f.add(connection);
                f.resource(ResourceKind.CLUSTER, connection.cluster());
            }
        });
        plan(Request.RemoveCluster.class, (r, f) -> f.addAll(catalog.runningBackupsOn(r.name(), FEW)));
        plan(Request.CreateSchedule.class, (r, f) -> f.connection(r.location(), r.cluster()));
        plan(Request.ScheduleTriggered.class, (r, f) -> {
            f.resource(ResourceKind.BACKUP, r.backup());
            f.known(r.subject()).map(Schedule.class::cast).ifPresent(schedule -> {
                f.resource(ResourceKind.SCHEDULE_POLICY, schedule.policy());
                f.resource(ResourceKind.CLUSTER, schedule.cluster());
                f.resource(ResourceKind.BACKUP_LOCATION, schedule.location());
                f.connection(schedule.location(), schedule.cluster());
                f.addAll(catalog.runsOf(schedule).stream().filter(this::running).toList());
            });
        });
        plan(Request.CreateBackup.class, (r, f) -> f.connection(r.location(), r.cluster()));
        plan(Request.DeleteBackup.class, (r, f) -> f.known(r.subject()).map(Backup.class::cast).ifPresent(backup -> {
            f.addAll(catalog.dependentsOf(backup.name()));
            f.share(backup.name());
            f.deletionPlaces(backup);
        }));
        plan(Request.CreateRestore.class, (r, f) -> f.known(ResourceRef.of(ResourceKind.BACKUP, r.backup()))
                .map(Backup.class::cast).ifPresent(backup -> {
                    f.share(backup.name());
                    f.resource(ResourceKind.BACKUP_LOCATION, backup.location());
                    f.connection(backup.location(), r.cluster());
                }));
        plan(Request.ShareBackup.class, (r, f) -> {
            catalog.share(r.backup(), r.user()).ifPresent(f::add);
            f.share(r.backup());
        });
        plan(Request.TriggerSync.class, (r, f) -> f.known(ResourceRef.of(ResourceKind.BACKUP_LOCATION, r.location()))
                .map(BackupLocation.class::cast).ifPresent(location -> {
                    f.addAll(catalog.syncsOf(location.bucket()));
                    f.sample(location.name(), Set.of());
                }));
        plan(Request.RefreshClusters.class, (r, f) -> f.addAll(catalog.clustersOf(r.config())));
    }

    private void planObservations() {
        plan(Observation.ClusterProbed.class, (o, f) -> f.known(o.subject()).map(Cluster.class::cast)
                .filter(cluster -> cluster.state() != o.observed())
                // Only a change of state touches the cluster's connections; a probe that confirms
                // the state the cluster has needs the cluster alone.
                .ifPresent(cluster -> {
                    for (Connection connection : catalog.connectionsOf(cluster.name())) {
                        f.add(connection);
                        f.resource(ResourceKind.BACKUP_LOCATION, connection.location());
                        // the location's aggregate asks only whether another connection is Valid
                        f.sample(connection.location(), Set.of(cluster.name()), VALID_ONLY);
                    }
                }));
        plan(Observation.ConnectionValidated.class, (o, f) -> f.validationPlaces(o.location(), o.cluster()));
        plan(Observation.ConnectionVerdictAwaited.class, (o, f) -> f.validationPlaces(o.location(), o.cluster()));
        plan(Observation.BackupProgressed.class, (o, f) -> f.known(o.subject()).map(Backup.class::cast)
                .filter(backup -> backup.schedule() != null)
                .ifPresent(backup -> f.resource(ResourceKind.SCHEDULE, backup.schedule())
                        .map(Schedule.class::cast).ifPresent(schedule -> {
                            f.resource(ResourceKind.SCHEDULE_POLICY, schedule.policy());
                            f.addAll(catalog.runsOf(schedule));
                            // retention may delete old backups, on a cluster eligible for the location
                            f.sample(schedule.location(), Set.of(schedule.cluster()));
                        })));
        plan(Observation.BackupDataDeleted.class, (o, f) -> f.known(o.subject()).map(Backup.class::cast)
                .filter(backup -> backup.incrementalOf() != null)
                .ifPresent(backup -> f.resource(ResourceKind.BACKUP, backup.incrementalOf())
                        .map(Backup.class::cast).ifPresent(parent -> {
                            f.addAll(catalog.dependentsOf(parent.name()));
                            f.deletionPlaces(parent);
                        })));
        plan(Observation.BackupDataDeletionFailed.class, (o, f) -> f.known(o.subject()).map(Backup.class::cast)
                .ifPresent(f::deletionPlaces));
        plan(Observation.BackupDeletionAwaited.class, (o, f) -> f.known(o.subject()).map(Backup.class::cast)
                .ifPresent(f::deletionPlaces));
        plan(Observation.SyncStarted.class, (o, f) -> f.resource(ResourceKind.BACKUP_LOCATION, o.location()));
        plan(Observation.SyncCompleted.class, (o, f) -> {
            f.resource(ResourceKind.BACKUP_LOCATION, o.location());
            f.addAll(catalog.backupsIn(o.location(), SYNC_CATALOG_LIMIT));
            f.found(o.found());
        });
        plan(Observation.SyncFailed.class, (o, f) -> f.resource(ResourceKind.BACKUP_LOCATION, o.location()));
        plan(Observation.SyncPassObserved.class, (o, f) -> f.resource(ResourceKind.BACKUP_LOCATION, o.location()));
        plan(Observation.SyncAwaited.class, (o, f) -> f.resource(ResourceKind.BACKUP_LOCATION, o.location()));
        plan(Observation.BucketPolled.class, (o, f) -> {
            f.addAll(catalog.backupsIn(o.location(), SYNC_CATALOG_LIMIT));
            f.found(o.found());
        });
        plan(Observation.ShootsDiscovered.class, (o, f) -> {
            f.addAll(catalog.clustersOf(o.config()));
            o.shoots().forEach(shoot -> f.resource(ResourceKind.CLUSTER, shoot));
        });
        plan(Observation.ResourceReleased.class, (o, f) -> {
            if (o.kind() == ResourceKind.CLUSTER) {
                for (Connection connection : catalog.connectionsOf(o.name())) {
                    f.add(connection);
                    f.resource(ResourceKind.BACKUP_LOCATION, connection.location());
                    f.sample(connection.location(), Set.of(o.name()), VALID_ONLY);
                }
            } else if (o.kind() == ResourceKind.BACKUP_LOCATION) {
                f.addAll(catalog.connectionsTo(o.name(), Integer.MAX_VALUE));
                f.resource(ResourceKind.SYNC, o.name());
            }
        });
    }

    private boolean running(Backup backup) {
        return backup.state() == BackupState.PENDING || backup.state() == BackupState.IN_PROGRESS;
    }

    /**
     * The resources a person's request names (its subject, unless it creates it, and its references)
     * that this person may not see: decided on as missing, before any rule runs, so the answer is the
     * one a name that does not exist gets (issue 21).
     */
    private java.util.Set<ResourceRef> hidden(Actor actor, Event event) {
        if (actor.isEngine() || actor.admin()) {
            return java.util.Set.of();
        }
        java.util.Set<ResourceRef> hidden = new java.util.HashSet<>();
        List<ResourceRef> named = new ArrayList<>(event.references());
        if (!event.creates()) {
            named.add(event.subject());
        }
        for (ResourceRef ref : named) {
            catalog.find(ref).filter(found -> !visibility.sees(actor, found)).ifPresent(found -> hidden.add(ref));
        }
        return hidden;
    }

    /** What a person's request that creates something they will own weighs against their quota, if one is set. */
    private Optional<dev.backupstate.model.Holding> holding(Actor actor, Event event) {
        if (actor.isEngine() || !event.creates() || !(event instanceof Request)) {
            return Optional.empty();
        }
        ResourceKind kind = event.subject().kind();
        long limit = quotas.of(kind);
        return limit == 0 ? Optional.empty() : Optional.of(new dev.backupstate.model.Holding(kind, catalog.heldBy(actor.name(), kind), limit));
    }

    /** True when the catalog holds this resource and the actor may see it (the engine and admins see all). */
    public boolean visibleTo(Actor actor, ResourceRef ref) {
        return catalog.find(ref).map(found -> actor.isEngine() || visibility.sees(actor, found)).orElse(false);
    }

    /** The facts of one event, each resource once, in the order loaded. */
    private final class Facts {
        private final Map<Object, Object> byKey = new LinkedHashMap<>();
        private String actor;
        private java.util.Set<ResourceRef> hidden = java.util.Set.of();

        void hideFrom(Actor person, Event event) {
            hidden = hidden(person, event);
        }

        void add(Object fact) {
            if (fact instanceof Resource) {
                byKey.putIfAbsent(((Resource) fact).ref(), fact);
            } else {
                if (fact instanceof Actor) {
                    actor = ((Actor) fact).name();
                }
                byKey.put(fact, fact);
            }
        }

        /**
         * What a sync found, with the catalog's backup of each name wherever it is held: a backup in a
         * folder two locations share is matched to the one the catalog has, never created again.
         */
        void found(List<FoundBackup> found) {
            for (FoundBackup backup : found) {
                add(backup);
                resource(ResourceKind.BACKUP, backup.name());
            }
        }

        void addFact(Object fact) {
            byKey.put(fact, fact);
        }

        void addAll(Collection<? extends Resource> resources) {
            resources.forEach(this::add);
        }

        /** Loads a resource into the facts if the catalog holds it (and, when the event names it, the person may see it). */
        Optional<Resource> resource(ResourceRef ref) {
            if (hidden.contains(ref)) {
                return Optional.empty();
            }
            Object loaded = byKey.get(ref);
            if (loaded != null) {
                return Optional.of((Resource) loaded);
            }
            Optional<Resource> found = catalog.find(ref);
            found.ifPresent(this::add);
            return found;
        }

        Optional<Resource> resource(ResourceKind kind, String name) {
            return name == null ? Optional.empty() : resource(ResourceRef.of(kind, name));
        }

        /** A resource already among the facts. */
        Optional<Resource> known(ResourceRef ref) {
            return Optional.ofNullable((Resource) byKey.get(ref));
        }

        void connection(String location, String cluster) {
            resource(ResourceKind.CONNECTION, Connection.nameOf(location, cluster));
        }

        /** The acting user's share of a backup, if any. */
        void share(String backup) {
            catalog.share(backup, actor).ifPresent(this::add);
        }

        /** A location's connection sample and the clusters it names. */
        void sample(String location, Set<String> always) {
            sample(location, always, ALL_STATES);
        }

        void sample(String location, Set<String> always, Set<ConnectionState> states) {
            for (Connection connection : catalog.connectionSample(location, SAMPLE_PER_CLASS, always, states)) {
                add(connection);
                resource(ResourceKind.CLUSTER, connection.cluster());
            }
        }

        /** Where a backup's data can be deleted from: its location, its cluster, the location's sample. */
        void deletionPlaces(Backup backup) {
            add(backup);
            resource(ResourceKind.BACKUP_LOCATION, backup.location());
            resource(ResourceKind.CLUSTER, backup.cluster());
            sample(backup.location(), Set.of(backup.cluster()));
        }

        /** A verdict on one connection: the connection, its cluster, its location and the location's sample. */
        void validationPlaces(String location, String cluster) {
            resource(ResourceKind.CLUSTER, cluster);
            resource(ResourceKind.BACKUP_LOCATION, location);
            sample(location, Set.of(cluster));
        }

        List<Object> all() {
            return new ArrayList<>(byKey.values());
        }
    }
}
