package dev.backupstate.model;

import static dev.backupstate.model.Fields.atLeast;
import static dev.backupstate.model.Fields.validName;
import static dev.backupstate.model.Fields.names;
import static dev.backupstate.model.Fields.optionalName;
import static dev.backupstate.model.Fields.required;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * An operation a person or a schedule asks for: the {@code spec} of an operation document
 * (DESIGN.md "Operation documents"). Field names here are the document's field names. Who asks, and
 * the idempotency key, travel beside the request in its {@link Envelope}.
 */
public sealed interface Request extends Event {

    private static ResourceRef ref(ResourceKind kind, String name) {
        return ResourceRef.of(kind, name);
    }

    // --- backup locations -------------------------------------------------------------------

    /**
     * {@code sharedFolder}: the creator says on purpose that this location shares its folder with
     * another location of theirs (overlapping folders are refused otherwise).
     */
    record CreateBackupLocation(String name, LocationType type, String endpoint, String region, String bucket,
                                String prefix, String credentials, boolean sharedFolder) implements Request {
        public CreateBackupLocation(String name, LocationType type, String endpoint, String region, String bucket,
                                    String prefix, String credentials) {
            this(name, type, endpoint, region, bucket, prefix, credentials, false);
        }

        public CreateBackupLocation {
            validName(name, "spec.name");
            type = type == null ? LocationType.S3 : type;
            if (type == LocationType.S3) {
                Fields.endpoint(endpoint, "spec.endpoint");
                required(bucket, "spec.bucket");
                if (!bucket.matches("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?")) {
                    throw new InvalidFieldException("spec.bucket", "'" + Fields.printable(bucket)
                            + "' is not a bucket name (at most 63 lower-case letters, digits, '.' and '-')");
                }
            } else {
                required(endpoint, "spec.endpoint");
                Fields.text(endpoint, "spec.endpoint", 512);
            }
            if (region != null && !region.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new InvalidFieldException("spec.region", "'" + Fields.printable(region)
                        + "' is not a region (at most 64 letters, digits, '.', '_' and '-')");
            }
            prefix = Fields.prefix(prefix, "spec.prefix");
            if (credentials != null && !credentials.matches("(secret:|env:)?[A-Za-z0-9][A-Za-z0-9._/-]{0,252}")) {
                throw new InvalidFieldException("spec.credentials", "'" + Fields.printable(credentials)
                        + "' is not the name of configured credentials");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP_LOCATION, name);
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public BucketKey bucketKey() {
            return new BucketKey(endpoint, bucket, prefix);
        }

        public BackupLocation newLocation(String owner) {
            return new BackupLocation(name, BackupLocationState.VALIDATION_IN_PROGRESS, type, bucketKey(), region,
                    credentials, owner, null);
        }
    }

    record ValidateBackupLocation(String name) implements Request {
        public ValidateBackupLocation {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP_LOCATION, name);
        }

        public String requested() {
            return "ValidationInProgress";
        }
    }

    record DeleteBackupLocation(String name) implements Request {
        public DeleteBackupLocation {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP_LOCATION, name);
        }

        public String requested() {
            return "DeletePending";
        }
    }

    // --- clusters and connections -----------------------------------------------------------

    /** {@code kubeconfig} is a reference (file or secret), never the kubeconfig itself. */
    record AddCluster(String name, String kubeconfig) implements Request {
        public AddCluster {
            validName(name, "spec.name");
            required(kubeconfig, "spec.kubeconfig");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.CLUSTER, name);
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public Cluster newCluster(String owner) {
            return new Cluster(name, ClusterState.PENDING, null, true, null, owner);
        }
    }

    record RemoveCluster(String name) implements Request {
        public RemoveCluster {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.CLUSTER, name);
        }

        public String requested() {
            return "DeletePending";
        }
    }

    record LinkClusterToLocation(String location, String cluster) implements Request {
        public LinkClusterToLocation {
            validName(location, "spec.location");
            validName(cluster, "spec.cluster");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.CONNECTION, Connection.nameOf(location, cluster));
        }

        public List<ResourceRef> references() {
            return List.of(ref(ResourceKind.BACKUP_LOCATION, location), ref(ResourceKind.CLUSTER, cluster));
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }
    }

    // --- schedules --------------------------------------------------------------------------

    record CreateSchedulePolicy(String name, PolicyType type, Integer intervalMinutes, String time,
                                List<DayOfWeek> days, boolean biweekly, Integer dayOfMonth, String relativeDay,
                                Integer retain, String timeZone) implements Request {

        public CreateSchedulePolicy(String name, PolicyType type, Integer intervalMinutes, String time, List<DayOfWeek> days,
                                    boolean biweekly, Integer dayOfMonth, String relativeDay, Integer retain) {
            this(name, type, intervalMinutes, time, days, biweekly, dayOfMonth, relativeDay, retain, null);
        }

        public CreateSchedulePolicy {
            // times of day are read in an explicit zone; UTC unless the policy names another
            timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.trim();
            try {
                java.time.ZoneId.of(timeZone);
            } catch (java.time.DateTimeException e) {
                throw new InvalidFieldException("spec.timeZone", "'" + timeZone + "' is not a time zone (like Europe/Berlin or UTC)");
            }
            validName(name, "spec.name");
            required(type, "spec.type");
            days = days == null ? List.of() : List.copyOf(days);
            switch (type) {
                case INTERVAL:
                    atLeast(intervalMinutes, 1, "spec.intervalMinutes");
                    break;
                case WEEKLY:
                    if (days.isEmpty()) {
                        throw new InvalidFieldException("spec.days", "a weekly policy needs at least one day");
                    }
                    time = timeOfDay(time);
                    break;
                case MONTHLY:
                    if ((dayOfMonth == null) == (relativeDay == null)) {
                        throw new InvalidFieldException("spec.dayOfMonth",
                                "a monthly policy needs either dayOfMonth (1-31) or relativeDay (\"last Friday\")");
                    }
                    if (dayOfMonth != null && (dayOfMonth < 1 || dayOfMonth > 31)) {
                        throw new InvalidFieldException("spec.dayOfMonth", dayOfMonth + " is not a day of a month");
                    }
                    if (relativeDay != null && !relativeDay.trim().toLowerCase().matches(
                            "(first|second|third|fourth|last) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)")) {
                        throw new InvalidFieldException("spec.relativeDay",
                                "'" + relativeDay + "' is not like \"last Friday\" or \"first Monday\"");
                    }
                    time = timeOfDay(time);
                    break;
                default:
                    time = timeOfDay(time);
            }
            retain = retain == null ? SchedulePolicy.defaultRetain(type) : atLeast(retain, 1, "spec.retain");
            if (retain > SchedulePolicy.MAX_RETAIN) {
                throw new InvalidFieldException("spec.retain", retain + " is above the maximum of " + SchedulePolicy.MAX_RETAIN
                        + " (each success weighs the schedule's kept backups against each other)");
            }
        }

        private static String timeOfDay(String time) {
            try {
                return LocalTime.parse(required(time, "spec.time")).toString();
            } catch (DateTimeParseException e) {
                throw new InvalidFieldException("spec.time", "'" + time + "' is not a time of day (HH:MM)");
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SCHEDULE_POLICY, name);
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public SchedulePolicy newPolicy(String owner) {
            return new SchedulePolicy(name, type, retain, intervalMinutes, time, days, biweekly, dayOfMonth,
                    relativeDay, owner, timeZone);
        }
    }

    record CreateSchedule(String name, String cluster, String location, String policy, List<String> namespaces,
                          boolean allowParallel, boolean suspended, java.util.Map<String, String> labels) implements Request {

        public CreateSchedule(String name, String cluster, String location, String policy, List<String> namespaces,
                              boolean allowParallel, boolean suspended) {
            this(name, cluster, location, policy, namespaces, allowParallel, suspended, null);
        }

        public CreateSchedule {
            labels = Fields.labels(labels, "spec.labels");
            validName(name, "spec.name");
            validName(cluster, "spec.cluster");
            validName(location, "spec.location");
            validName(policy, "spec.policy");
            namespaces = names(namespaces, "spec.namespaces");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SCHEDULE, name);
        }

        public List<ResourceRef> references() {
            return List.of(ref(ResourceKind.CLUSTER, cluster), ref(ResourceKind.BACKUP_LOCATION, location),
                    ref(ResourceKind.SCHEDULE_POLICY, policy));
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public Schedule newSchedule(String owner) {
            return new Schedule(name, suspended ? ScheduleState.SUSPENDED : ScheduleState.ACTIVE, cluster, location,
                    policy, namespaces, allowParallel, owner, labels);
        }
    }

    record SuspendSchedule(String name) implements Request {
        public SuspendSchedule {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SCHEDULE, name);
        }

        public String requested() {
            return "Suspended";
        }
    }

    record ResumeSchedule(String name) implements Request {
        public ResumeSchedule {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SCHEDULE, name);
        }

        public String requested() {
            return "Active";
        }
    }

    record DeleteSchedule(String name) implements Request {
        public DeleteSchedule {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SCHEDULE, name);
        }

        public String requested() {
            return "delete";
        }
    }

    /** A schedule's trigger fired (source: schedule); {@code backup} is the name the trigger gives the run. */
    record ScheduleTriggered(String schedule, String backup, Instant firedAt) implements Request {
        public ScheduleTriggered {
            validName(schedule, "spec.schedule");
            validName(backup, "spec.backup");
            required(firedAt, "spec.firedAt");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SCHEDULE, schedule);
        }

        public String requested() {
            return "a scheduled backup";
        }

        public Backup newBackup(Schedule from) {
            return new Backup(backup, BackupState.PENDING, from.cluster(), from.location(), from.owner(), schedule,
                    null, firedAt, from.namespaces(), null, BackupMethod.SNAPSHOT, null, null, null, null, null, from.labels());
        }
    }

    // --- backups, restores, shares --------------------------------------------------------------

    record CreateBackup(String name, String cluster, String location, List<String> namespaces,
                        String virtualMachine, BackupMethod method, String preExecRule, String postExecRule,
                        String incrementalOf, String labelSelector, java.util.Map<String, String> labels) implements Request {

        public CreateBackup(String name, String cluster, String location, List<String> namespaces, String virtualMachine,
                            BackupMethod method, String preExecRule, String postExecRule, String incrementalOf,
                            String labelSelector) {
            this(name, cluster, location, namespaces, virtualMachine, method, preExecRule, postExecRule, incrementalOf,
                    labelSelector, null);
        }

        /** How a schedule names the backup of each run: SCHEDULE-yyyyMMdd-HHmmss (ScheduleTriggers). */
        private static final java.util.regex.Pattern SCHEDULE_RUN = java.util.regex.Pattern.compile(".+-[0-9]{8}-[0-9]{6}");

        /** Equality-based label selector: {@code app=db,tier=backend}. */
        private static final java.util.regex.Pattern SELECTOR = java.util.regex.Pattern.compile(
                "[A-Za-z0-9][-A-Za-z0-9_./]*=[-A-Za-z0-9_.]*(,[A-Za-z0-9][-A-Za-z0-9_./]*=[-A-Za-z0-9_.]*)*");

        public CreateBackup(String name, String cluster, String location, List<String> namespaces, String virtualMachine,
                            BackupMethod method, String preExecRule, String postExecRule, String incrementalOf) {
            this(name, cluster, location, namespaces, virtualMachine, method, preExecRule, postExecRule, incrementalOf, null);
        }

        public CreateBackup {
            labels = Fields.labels(labels, "spec.labels");
            if (labelSelector != null && !labelSelector.isBlank() && !SELECTOR.matcher(labelSelector.replace(" ", "")).matches()) {
                throw new InvalidFieldException("spec.labelSelector",
                        "'" + labelSelector + "' is not a list of key=value labels separated by commas");
            }
            labelSelector = labelSelector == null || labelSelector.isBlank() ? null : labelSelector.replace(" ", "");
            validName(name, "spec.name");
            if (SCHEDULE_RUN.matcher(name).matches()) {
                throw new InvalidFieldException("spec.name", "'" + name + "' ends as a schedule's run is named "
                        + "(SCHEDULE-yyyyMMdd-HHmmss): that form is kept for schedules, so no one can take a run's name");
            }
            validName(cluster, "spec.cluster");
            validName(location, "spec.location");
            namespaces = names(namespaces, "spec.namespaces");
            method = method == null ? BackupMethod.SNAPSHOT : method;
            incrementalOf = optionalName(incrementalOf, "spec.incrementalOf");
            // Stork's Rule objects, by name: a name, never free text that could carry control characters
            preExecRule = optionalName(preExecRule, "spec.preExecRule");
            postExecRule = optionalName(postExecRule, "spec.postExecRule");
            if (virtualMachine != null && !virtualMachine.matches("[a-z0-9][-a-z0-9.]*/[a-z0-9][-a-z0-9.]*")) {
                throw new InvalidFieldException("spec.virtualMachine",
                        "'" + virtualMachine + "' is not namespace/name");
            }
            if (virtualMachine != null) {
                // Stork backs up every VM of each namespace a VirtualMachine backup lists (resourcecollector):
                // a backup of one VM lists its namespace only
                String own = virtualMachine.substring(0, virtualMachine.indexOf('/'));
                if (namespaces.stream().anyMatch(ns -> !ns.equals(own))) {
                    throw new InvalidFieldException("spec.namespaces", "a backup of virtual machine " + virtualMachine
                            + " backs up that VM only: list no namespace, or " + own + " (Stork would back up every VM of "
                            + "each namespace listed)");
                }
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, name);
        }

        public List<ResourceRef> references() {
            List<ResourceRef> refs = new java.util.ArrayList<>(List.of(ref(ResourceKind.CLUSTER, cluster),
                    ref(ResourceKind.BACKUP_LOCATION, location)));
            if (incrementalOf != null) {
                refs.add(ref(ResourceKind.BACKUP, incrementalOf));
            }
            if (virtualMachine != null) {
                refs.add(ref(ResourceKind.VIRTUAL_MACHINE, virtualMachine));
            }
            return refs;
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public Backup newBackup(String owner, Instant created) {
            return new Backup(name, BackupState.PENDING, cluster, location, owner, null, incrementalOf, created,
                    namespaces, virtualMachine, method, preExecRule, postExecRule, null, labelSelector, null, labels);
        }
    }

    record DeleteBackup(String backup, boolean force) implements Request {
        public DeleteBackup {
            validName(backup, "spec.backup");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        public String requested() {
            return force ? "force delete" : "Deleting";
        }
    }

    record CreateRestore(String name, String backup, String cluster, ReplacePolicy replacePolicy,
                         java.util.Map<String, String> namespaceMapping) implements Request {

        public CreateRestore(String name, String backup, String cluster, ReplacePolicy replacePolicy) {
            this(name, backup, cluster, replacePolicy, null);
        }

        private static final java.util.regex.Pattern NAMESPACE = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

        public CreateRestore {
            validName(name, "spec.name");
            validName(backup, "spec.backup");
            validName(cluster, "spec.cluster");
            replacePolicy = replacePolicy == null ? ReplacePolicy.RETAIN : replacePolicy;
            if (namespaceMapping != null) {
                if (namespaceMapping.size() > 100) {
                    throw new InvalidFieldException("spec.namespaceMapping", "maps at most 100 namespaces");
                }
                namespaceMapping.forEach((from, to) -> {
                    for (String namespace : new String[] {from, to}) {
                        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
                            throw new InvalidFieldException("spec.namespaceMapping", "'" + Fields.printable(String.valueOf(namespace))
                                    + "' is not a namespace name (at most 63 lower-case letters, digits and '-')");
                        }
                    }
                });
            }
        }

        public ResourceRef subject() {
            return ref(ResourceKind.RESTORE, name);
        }

        public List<ResourceRef> references() {
            return List.of(ref(ResourceKind.BACKUP, backup), ref(ResourceKind.CLUSTER, cluster));
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public Restore newRestore(String owner) {
            return new Restore(name, RestoreState.PENDING, backup, cluster, replacePolicy, owner, null, null, namespaceMapping);
        }
    }

    record ShareBackup(String backup, String user, ShareAccess access) implements Request {
        public ShareBackup {
            validName(backup, "spec.backup");
            validName(user, "spec.user");
            required(access, "spec.access");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.BACKUP, backup);
        }

        // No reference to the user: whether a user exists is not the sharer's to learn, so a share
        // names any user, known or not yet (issue 21).

        public String requested() {
            return "share " + access.label() + " with " + user;
        }

        public Share newShare() {
            return new Share(backup, user, access);
        }
    }

    // --- sync, discovery, users -----------------------------------------------------------------

    record TriggerSync(String location) implements Request {
        public TriggerSync {
            validName(location, "spec.location");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.SYNC, location);
        }

        public List<ResourceRef> references() {
            return List.of(ref(ResourceKind.BACKUP_LOCATION, location));
        }

        public String requested() {
            return "Pending";
        }

        public boolean upserts() {
            return true;
        }
    }

    record CreateDiscoveryConfig(String name, String project, String labelSelector, Integer periodMinutes,
                                 String kubeconfig) implements Request {
        public CreateDiscoveryConfig {
            validName(name, "spec.name");
            validName(project, "spec.project");
            required(kubeconfig, "spec.kubeconfig");
            labelSelector = labelSelector == null ? "" : labelSelector.trim();
            periodMinutes = periodMinutes == null ? 60
                    : atLeast(periodMinutes, DiscoveryConfig.MIN_PERIOD_MINUTES, "spec.periodMinutes");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.DISCOVERY_CONFIG, name);
        }

        public String requested() {
            return "create";
        }

        public boolean creates() {
            return true;
        }

        public DiscoveryConfig newConfig(String owner) {
            return new DiscoveryConfig(name, DiscoveryState.IN_PROGRESS, project, labelSelector, periodMinutes, owner, null);
        }
    }

    record DeleteDiscoveryConfig(String name) implements Request {
        public DeleteDiscoveryConfig {
            validName(name, "spec.name");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.DISCOVERY_CONFIG, name);
        }

        public String requested() {
            return "Deleting";
        }
    }

    record DiscoverClusters(String config) implements Request {
        public DiscoverClusters {
            validName(config, "spec.config");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.DISCOVERY_CONFIG, config);
        }

        public String requested() {
            return "InProgress";
        }
    }

    record RefreshClusters(String config) implements Request {
        public RefreshClusters {
            validName(config, "spec.config");
        }

        public ResourceRef subject() {
            return ref(ResourceKind.DISCOVERY_CONFIG, config);
        }

        public String requested() {
            return "refresh kubeconfigs";
        }
    }

    /**
     * An admin records what the identity provider says of a user; a new name creates the user.
     * {@code role} is admin, operator or viewer; {@code admin: true} is short for the admin role.
     */
    record SetUserState(String user, UserState state, boolean admin, Role role) implements Request {
        public SetUserState(String user, UserState state, boolean admin) {
            this(user, state, admin, null);
        }

        public SetUserState {
            validName(user, "spec.user");
            if (Actor.ENGINE_NAME.equals(user)) {
                throw new InvalidFieldException("spec.user", "'engine' is the engine's own name, not a user's");
            }
            required(state, "spec.state");
            if (role == Role.ENGINE) {
                throw new InvalidFieldException("spec.role", "engine is the engine's own role; give admin, operator or viewer");
            }
            if (admin && role != null && role != Role.ADMIN) {
                throw new InvalidFieldException("spec.admin", "admin: true contradicts role " + role.label());
            }
            role = role == null ? (admin ? Role.ADMIN : Role.OPERATOR) : role;
            admin = role == Role.ADMIN;
        }

        public ResourceRef subject() {
            return ref(ResourceKind.USER, user);
        }

        public String requested() {
            return state.label() + " " + role.label();
        }

        public boolean upserts() {
            return true;
        }

        public User newUser() {
            return new User(user, state, admin, role);
        }
    }

    /** The role an operation needs: the roles table, {@link OperationRoles}. */
    default Role requiredRole() {
        return OperationRoles.of(getClass());
    }
}
