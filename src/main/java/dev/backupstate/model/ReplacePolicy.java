package dev.backupstate.model;

/** What a restore does with resources that already exist on the target cluster. */
public enum ReplacePolicy implements Labelled {
    /** Keep what exists; restore only what is missing. */
    RETAIN("Retain"),
    /** Replace what exists. */
    DELETE("Delete");

    private final String label;

    ReplacePolicy(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
