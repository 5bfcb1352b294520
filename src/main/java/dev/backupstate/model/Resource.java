package dev.backupstate.model;

/** A tracked resource of the matrix: a kind, a name unique within the kind for as long as it lives, an identity (uid), and a state. */
public interface Resource {

    ResourceKind kind();

    String name();

    /**
     * The resource's identity, given once when a decision creates it and kept by every change: a name
     * used again is a new resource with a new uid (and an empty history). Null only on a resource not
     * yet created (as a rule builds it).
     */
    String uid();

    /** The same resource with this identity (the decision loop's, when it creates or changes it). */
    Resource withUid(String uid);

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
