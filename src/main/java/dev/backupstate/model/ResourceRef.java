package dev.backupstate.model;

import java.util.Objects;

/** Names one resource: "backups/orders-nightly". */
public record ResourceRef(ResourceKind kind, String name) {

    public ResourceRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static ResourceRef of(ResourceKind kind, String name) {
        return new ResourceRef(kind, name);
    }

    @Override
    public String toString() {
        return kind.path() + "/" + name;
    }
}
