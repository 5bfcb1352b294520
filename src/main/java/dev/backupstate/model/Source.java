package dev.backupstate.model;

/** Where an event came in. */
public enum Source {
    FILE, BROKER, REST, SCHEDULE, OBSERVATION, SCENARIO, BENCHMARK,
    /** The engine's own configuration, such as its configured users: acts as the engine itself. */
    CONFIGURATION
}
