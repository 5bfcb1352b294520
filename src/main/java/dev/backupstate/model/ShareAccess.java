package dev.backupstate.model;

/** What a share of a backup lets its holder do. */
public enum ShareAccess implements Labelled {
    /** See the backup; cannot restore it. */
    VIEW("View"),
    /** See and restore it. */
    RESTORABLE("Restorable"),
    /** See, restore, share and delete it. */
    FULL_ACCESS("FullAccess");

    private final String label;

    ShareAccess(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
