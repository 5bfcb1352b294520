package dev.backupstate.model;

/** States of a backup schedule (matrix row 5). */
public enum ScheduleState implements State {
    /** Creates backups on its policy. */
    ACTIVE("Active"),
    /** Creates none: a trigger that fires is recorded as skipped. */
    SUSPENDED("Suspended");

    private final String label;

    ScheduleState(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
