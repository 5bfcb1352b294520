package dev.backupstate.model;

/** A fact: the event names this resource and the catalog does not hold it. */
public record Missing(ResourceKind kind, String name) {

    public static Missing of(ResourceRef ref) {
        return new Missing(ref.kind(), ref.name());
    }

    @Override
    public String toString() {
        return kind.path() + "/" + name;
    }
}
