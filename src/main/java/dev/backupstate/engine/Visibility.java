package dev.backupstate.engine;

import dev.backupstate.model.Actor;
import dev.backupstate.model.Backup;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Restore;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.Share;

/**
 * What a user may see (README "Security"), in one place for every door and for the decision loop: an
 * admin sees everything; anyone else sees what they own, the backups shared with them, and the fleet
 * they work on (clusters, locations, connections, syncs, virtual machines, policies), which holds no
 * secrets. Users (but oneself), discovery configurations and other people's backups, restores and
 * schedules stay hidden, and a hidden resource is treated exactly as a missing one: in answers, and in
 * the facts a person's request is decided on.
 */
public final class Visibility {

    private final Catalog catalog;

    public Visibility(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Kinds everyone with a role sees whole: the fleet, which holds no secrets. */
    public boolean seesAll(Actor actor, ResourceKind kind) {
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
                    .map(backup -> ((Share) resource).of((Backup) backup) && me.equals(((Backup) backup).owner())).orElse(false);
            case USER -> me.equals(resource.name());
            case DISCOVERY_CONFIG -> false;
            case BACKUP_LOCATION, CLUSTER, CONNECTION, SYNC, VIRTUAL_MACHINE -> true;
        };
    }
}
