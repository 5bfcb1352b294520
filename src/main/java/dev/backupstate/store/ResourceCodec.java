package dev.backupstate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.Connection;
import dev.backupstate.model.DiscoveryConfig;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Restore;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.SchedulePolicy;
import dev.backupstate.model.Share;
import dev.backupstate.model.Sync;
import dev.backupstate.model.User;
import dev.backupstate.model.VirtualMachine;
import java.util.EnumMap;
import java.util.Map;

/** A resource as the JSON stored in its row, and back, by its kind. */
final class ResourceCodec {

    private static final Map<ResourceKind, Class<? extends Resource>> TYPES = new EnumMap<>(ResourceKind.class);

    static {
        TYPES.put(ResourceKind.BACKUP_LOCATION, BackupLocation.class);
        TYPES.put(ResourceKind.USER, User.class);
        TYPES.put(ResourceKind.CLUSTER, Cluster.class);
        TYPES.put(ResourceKind.VIRTUAL_MACHINE, VirtualMachine.class);
        TYPES.put(ResourceKind.SCHEDULE, Schedule.class);
        TYPES.put(ResourceKind.BACKUP, Backup.class);
        TYPES.put(ResourceKind.RESTORE, Restore.class);
        TYPES.put(ResourceKind.DISCOVERY_CONFIG, DiscoveryConfig.class);
        TYPES.put(ResourceKind.CONNECTION, Connection.class);
        TYPES.put(ResourceKind.SYNC, Sync.class);
        TYPES.put(ResourceKind.SCHEDULE_POLICY, SchedulePolicy.class);
        TYPES.put(ResourceKind.SHARE, Share.class);
    }

    private ResourceCodec() {
    }

    static String write(Resource resource) {
        return json(resource);
    }

    static Resource read(ResourceKind kind, String body) {
        try {
            return Json.json().readValue(body, TYPES.get(kind));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + kind.path() + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    static String json(Object value) {
        try {
            return Json.json().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
