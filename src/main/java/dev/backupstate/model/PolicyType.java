package dev.backupstate.model;

/** The shape of a schedule policy. */
public enum PolicyType implements Labelled {
    /** Every N minutes. */
    INTERVAL("Interval"),
    /** Every day at a time. */
    DAILY("Daily"),
    /** On given days at a time, optionally every other week. */
    WEEKLY("Weekly"),
    /** On a date, or a relative day such as last Friday, at a time. */
    MONTHLY("Monthly");

    private final String label;

    PolicyType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
