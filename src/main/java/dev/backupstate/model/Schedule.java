package dev.backupstate.model;

import java.util.List;

/**
 * Matrix row 5: creates backups of some namespaces of a cluster to a location, on a policy.
 * {@code labels} are the operator's, for selecting schedules in bulk (suspend every {@code tier=gold});
 * its backups carry them too, and its uid ({@code Backup.scheduleUid}): a later schedule of the same
 * name owns none of them.
 */
public record Schedule(String name, ScheduleState state, String cluster, String location, String policy,
                       List<String> namespaces, boolean allowParallel, String owner,
                       java.util.Map<String, String> labels, String uid) implements Resource {

    public Schedule(String name, ScheduleState state, String cluster, String location, String policy,
                    List<String> namespaces, boolean allowParallel, String owner) {
        this(name, state, cluster, location, policy, namespaces, allowParallel, owner, null);
    }

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public Schedule(String name, ScheduleState state, String cluster, String location, String policy,
                    List<String> namespaces, boolean allowParallel, String owner, java.util.Map<String, String> labels) {
        this(name, state, cluster, location, policy, namespaces, allowParallel, owner, labels, null);
    }

    public Schedule {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        labels = labels == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SCHEDULE;
    }

    public Schedule withState(ScheduleState next) {
        return new Schedule(name, next, cluster, location, policy, namespaces, allowParallel, owner, labels, uid);
    }

    @Override
    public Schedule withUid(String identity) {
        return new Schedule(name, state, cluster, location, policy, namespaces, allowParallel, owner, labels, identity);
    }
}
