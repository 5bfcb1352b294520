package dev.backupstate.model;

/** Where an event came in. */
public enum Source {
    FILE, BROKER, REST, SCHEDULE, OBSERVATION, SCENARIO, BENCHMARK
}
