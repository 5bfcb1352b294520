package dev.backupstate.model;

import java.util.List;

/** Matrix row 5: creates backups of some namespaces of a cluster to a location, on a policy. */
public record Schedule(String name, ScheduleState state, String cluster, String location, String policy,
                       List<String> namespaces, boolean allowParallel, String owner) implements Resource {

    public Schedule {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SCHEDULE;
    }

    public Schedule withState(ScheduleState next) {
        return new Schedule(name, next, cluster, location, policy, namespaces, allowParallel, owner);
    }
}
