package dev.backupstate.model;

import java.util.List;

/**
 * Matrix row 5: creates backups of some namespaces of a cluster to a location, on a policy.
 * {@code labels} are the operator's, for selecting schedules in bulk (suspend every {@code tier=gold});
 * its backups carry them too.
 */
public record Schedule(String name, ScheduleState state, String cluster, String location, String policy,
                       List<String> namespaces, boolean allowParallel, String owner,
                       java.util.Map<String, String> labels) implements Resource {

    public Schedule(String name, ScheduleState state, String cluster, String location, String policy,
                    List<String> namespaces, boolean allowParallel, String owner) {
        this(name, state, cluster, location, policy, namespaces, allowParallel, owner, null);
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
        return new Schedule(name, next, cluster, location, policy, namespaces, allowParallel, owner, labels);
    }
}
