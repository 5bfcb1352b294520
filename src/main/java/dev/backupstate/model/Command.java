package dev.backupstate.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Work for the routes after the decision commits (the outbox): a type, a target, arguments. */
public record Command(CommandType type, ResourceRef target, Map<String, String> args) {

    public Command {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** {@code Command.of(RUN_BACKUP, backup, "cluster", "c1")}: arguments as name, value pairs. */
    public static Command of(CommandType type, Resource target, String... nameValuePairs) {
        return of(type, target.ref(), nameValuePairs);
    }

    public static Command of(CommandType type, ResourceRef target, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("command arguments come in name, value pairs");
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            args.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return new Command(type, target, args);
    }

    /** "RUN_BACKUP backups/b1 cluster=c1". */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(type.name()).append(' ').append(target);
        args.forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
        return text.toString();
    }
}
