package dev.backupstate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backupstate.inbox.Json;
import dev.backupstate.model.Command;
import dev.backupstate.model.CommandType;

/** A command as the JSON of its outbox row, and back, by its type. */
final class CommandCodec {

    private CommandCodec() {
    }

    static String write(Command command) {
        return ResourceCodec.json(command);
    }

    static Command read(CommandType type, String body) {
        try {
            return Json.json().readValue(body, recordOf(type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type + " command cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static Class<? extends Command> recordOf(CommandType type) {
        return switch (type) {
            case VALIDATE_LOCATION -> Command.ValidateLocation.class;
            case VALIDATE_CONNECTION -> Command.ValidateConnection.class;
            case PROBE_CLUSTER -> Command.ProbeCluster.class;
            case RUN_BACKUP -> Command.RunBackup.class;
            case RUN_RESTORE -> Command.RunRestore.class;
            case DELETE_BUCKET_DATA -> Command.DeleteBucketData.class;
            case DELETE_BACKUP_ON_CLUSTER -> Command.DeleteBackupOnCluster.class;
            case SYNC_ON_CLUSTER -> Command.SyncOnCluster.class;
            case REGISTER_SCHEDULE -> Command.RegisterSchedule.class;
            case UNREGISTER_SCHEDULE -> Command.UnregisterSchedule.class;
            case DISCOVER_SHOOTS -> Command.DiscoverShoots.class;
            case REFRESH_KUBECONFIG -> Command.RefreshKubeconfig.class;
            case RELEASE_RESOURCE -> Command.ReleaseResource.class;
        };
    }
}
