package dev.backupstate.model;

/** A tracked resource of the matrix: a kind, a name unique within the kind, and a state. */
public interface Resource {

    ResourceKind kind();

    String name();

    /** The current state; null for the stateless supporting resources (policies, shares). */
    State state();

    /** The state's label, or "stateless" for the supporting resources. */
    default String stateLabel() {
        return state() == null ? "stateless" : state().label();
    }

    /** The operator's labels, for selecting resources in bulk; none on most kinds. */
    default java.util.Map<String, String> labels() {
        return java.util.Map.of();
    }

    default ResourceRef ref() {
        return new ResourceRef(kind(), name());
    }
}
