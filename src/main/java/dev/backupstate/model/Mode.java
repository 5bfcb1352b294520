package dev.backupstate.model;

/** The engine's operation mode (STATE-MATRIX.md "Operation modes"): a setting of the whole engine. */
public enum Mode implements Labelled {
    /** The engine holds credentials, reaches every bucket and talks to every cluster itself. */
    CLASSIC("Classic"),
    /** Secret-less: the engine only instructs each cluster's agent, which reports back. */
    FEDERATED("Federated");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
