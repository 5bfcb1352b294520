package dev.backupstate.model;

import java.util.List;

/**
 * Everything that goes through the loop: a {@link Request} someone asks for, or an {@link Observation}
 * the world reports. An event names its subject, what it asks of it (for messages such as
 * ILLEGAL_TRANSITION), and the other resources it refers to, which must exist.
 */
public sealed interface Event permits Request, Observation {

    /** The resource the event is about. */
    ResourceRef subject();

    /** What the event asks of its subject, in words: "Deleting", "Suspended", "probe says Active". */
    String requested();

    /** Other resources the event names; a missing one is refused with RESOURCE_NOT_FOUND. */
    default List<ResourceRef> references() {
        return List.of();
    }

    /** True when the event creates its subject, which then must not exist yet. */
    default boolean creates() {
        return false;
    }

    /** True when the event may create its subject as well as change it (a user, a VM, a first sync). */
    default boolean upserts() {
        return false;
    }

    /** The name of this kind of event as written in documents: "DeleteBackup". */
    default String operation() {
        return getClass().getSimpleName();
    }
}
