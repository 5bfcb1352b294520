package dev.backupstate.model;

import java.util.Objects;

/**
 * A change a decision makes to one resource: {@code after} is the resource as it will be stored,
 * null when the resource leaves the catalog. States are null for the stateless resources. {@code uid}
 * is the identity of the resource changed (the decision loop's for one it creates).
 */
public record Transition(Change change, ResourceRef ref, State from, State to, Resource after, String uid) {

    /** What happens to the resource. */
    public enum Change { CREATE, UPDATE, REMOVE }

    public Transition {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(ref, "ref");
    }

    public Transition(Change change, ResourceRef ref, State from, State to, Resource after) {
        this(change, ref, from, to, after, after == null ? null : after.uid());
    }

    public static Transition create(Resource created) {
        return new Transition(Change.CREATE, created.ref(), null, created.state(), created, created.uid());
    }

    public static Transition change(Resource before, Resource after) {
        return new Transition(Change.UPDATE, before.ref(), before.state(), after.state(), after, before.uid());
    }

    public static Transition remove(Resource removed) {
        return new Transition(Change.REMOVE, removed.ref(), removed.state(), null, null, removed.uid());
    }

    /** The same change, of the resource with this identity (its {@code after} carrying it too). */
    public Transition identified(String identity, Resource identifiedAfter) {
        return new Transition(change, ref, from, to, identifiedAfter, identity);
    }

    /** "backups/b1: Success -> Deleting", "backups/b1: created Pending", "backups/b1: Success -> removed". */
    @Override
    public String toString() {
        switch (change) {
            case CREATE:
                return ref + ": created " + label(to);
            case REMOVE:
                return ref + ": " + label(from) + " -> removed";
            default:
                return ref + ": " + label(from) + " -> " + label(to);
        }
    }

    private static String label(State state) {
        return state == null ? "-" : state.label();
    }
}
