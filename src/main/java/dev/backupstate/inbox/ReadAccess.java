package dev.backupstate.inbox;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Actor;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Resource;
import dev.backupstate.model.User;

/**
 * What a user may read, for the doors: the actor a channel identified with the role and state the
 * catalog knows them by, and {@link Visibility}'s answer, the same one the decision loop uses.
 */
public final class ReadAccess {

    private final Catalog catalog;
    private final dev.backupstate.engine.Visibility visibility;

    public ReadAccess(Catalog catalog) {
        this.catalog = catalog;
        this.visibility = new dev.backupstate.engine.Visibility(catalog);
    }

    /** The actor a channel identified, with the role the catalog knows them by. */
    public Actor actor(String name) {
        return Actor.of((User) catalog.find(ResourceKind.USER, name).orElse(null), name);
    }

    /** Kinds everyone with a role sees whole: the fleet, which holds no secrets. */
    public boolean seesAll(Actor actor, ResourceKind kind) {
        return visibility.seesAll(actor, kind);
    }

    public boolean sees(Actor actor, Resource resource) {
        return visibility.sees(actor, resource);
    }
}
