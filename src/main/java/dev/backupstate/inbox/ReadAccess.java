package dev.backupstate.inbox;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Actor;
import dev.backupstate.model.Backup;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Resource;
import dev.backupstate.model.Restore;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.Share;
import dev.backupstate.model.User;

/**
 * What a user may read (README "Security", read isolation): an admin reads everything; anyone else
 * reads what they own, the backups shared with them, and the fleet they work on (clusters,
 * locations, connections, syncs, virtual machines, policies), which holds no secrets. Users,
 * discovery configurations and other people's backups, restores and schedules stay hidden: a
 * hidden resource answers as if it did not exist.
 */
public final class ReadAccess {

    private final Catalog catalog;

    public ReadAccess(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The actor a channel identified, with the role the catalog knows them by. */
    public Actor actor(String name) {
        return Actor.of((User) catalog.find(ResourceKind.USER, name).orElse(null), name);
    }

    /** Kinds everyone with a role sees whole: the fleet, which holds no secrets. */
    public boolean seesAll(Actor actor, dev.backupstate.model.ResourceKind kind) {
        return actor.admin() || switch (kind) {
            case BACKUP_LOCATION, CLUSTER, CONNECTION, SYNC, VIRTUAL_MACHINE, SCHEDULE_POLICY -> true;
            default -> false;
        };
    }

    public boolean sees(Actor actor, Resource resource) {
        if (actor.admin()) {
            return true;
        }
        String me = actor.name();
        return switch (resource.kind()) {
            case BACKUP -> me.equals(((Backup) resource).owner()) || catalog.share(resource.name(), me).isPresent();
            case RESTORE -> me.equals(((Restore) resource).owner());
            case SCHEDULE -> me.equals(((Schedule) resource).owner());
            case SCHEDULE_POLICY -> true;
            case SHARE -> me.equals(((Share) resource).user()) || catalog.find(ResourceKind.BACKUP, ((Share) resource).backup())
                    .map(backup -> me.equals(((Backup) backup).owner())).orElse(false);
            case USER -> me.equals(resource.name());
            case DISCOVERY_CONFIG -> false;
            case BACKUP_LOCATION, CLUSTER, CONNECTION, SYNC, VIRTUAL_MACHINE -> true;
        };
    }
}
