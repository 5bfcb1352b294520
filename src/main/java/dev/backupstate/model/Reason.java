package dev.backupstate.model;

/**
 * Why a rule refused an event. Codes in capitals come from STATE-MATRIX.md; the ones marked "ours"
 * cover what the matrix leaves open. When several rules refuse one event, every refusal is reported
 * and the first in this order is the outcome's reason: who may act, then whether the thing exists,
 * then the state guards.
 */
public enum Reason {
    /** Ours: a rule threw while deciding; nothing was decided (the outcome names the rule, file, line and error). */
    RULE_ERROR,
    /** The acting user is Inactive or Unknown. */
    USER_NOT_ACTIVE,
    /** The resource kind or feature does not exist in the engine's mode. */
    MODE_UNSUPPORTED,
    /** Ours: the event names a resource the catalog does not hold. */
    RESOURCE_NOT_FOUND,
    /** Ours: a create names a resource that already exists. */
    RESOURCE_EXISTS,
    /** Not the owner, not a holder of a sufficient share, not an admin. */
    ACCESS_DENIED,
    /** Ours: a location names credentials its creator may not use, or for another endpoint or bucket. */
    CREDENTIALS_NOT_ALLOWED,
    /** Ours: the user holds as many resources of the kind as bse.limits.*-per-user allows. */
    QUOTA_EXCEEDED,
    /** Ours: a location's folder overlaps another location's (same endpoint and bucket, one prefix inside the other). */
    FOLDER_OVERLAP,
    /** Force delete is a Federated-only escape hatch. */
    FORCE_NOT_ALLOWED_IN_CLASSIC,
    /** The backup's cluster is not Active (or is being removed). */
    CLUSTER_NOT_ACTIVE,
    /** The backup location is not Valid. */
    LOCATION_INVALID,
    /** Federated: the location's connection to that cluster is not Valid. */
    CONNECTION_INVALID,
    /** A Pending or In-Progress backup (or one that depends on the resource) is still running. */
    BACKUP_IN_PROGRESS,
    /** Ours: the resource still has backups in the catalog. */
    RESOURCE_IN_USE,
    /** Force delete refused: an eligible cluster can delete the data properly. */
    FORCE_NOT_NEEDED,
    /** Federated delete or sync: no Active cluster with a Valid connection to the location. */
    NO_ELIGIBLE_CLUSTER_FORCE_REQUIRED,
    /** Ours: Federated sync with no Active cluster holding a Valid connection to the location. */
    NO_ELIGIBLE_CLUSTER,
    /** Another sync of the same bucket (endpoint, bucket, prefix) is running. */
    SYNC_ALREADY_RUNNING,
    /** Ours: a discovery run of this configuration is already running. */
    DISCOVERY_ALREADY_RUNNING,
    /** Ours: a schedule trigger fired while the schedule is Suspended; recorded as skipped. */
    SCHEDULE_SUSPENDED,
    /** Ours: a schedule trigger fired while its previous run is still running; recorded as skipped. */
    PREVIOUS_RUN_IN_PROGRESS,
    /** Ours: a schedule's run would make a backup whose name another backup (not this schedule's) holds; recorded as skipped. */
    SCHEDULE_SLOT_TAKEN,
    /** Ours: freeze rules cannot run on a Paused or Stopped virtual machine. */
    VM_FREEZE_RULES_FAIL,
    /**
     * Ours: a reason code ops staff declared in rules/reasons.yaml (the refusal carries the code, and the
     * outcome names it); declared codes come after the built-in guards, in the order rules refused.
     */
    DECLARED,
    /** No rule allows this change from the resource's current state. */
    ILLEGAL_TRANSITION;

    /** The built-in reason of this code, or DECLARED for a code ops staff declared. */
    public static Reason of(String code) {
        for (Reason reason : values()) {
            if (reason != DECLARED && reason.name().equals(code)) {
                return reason;
            }
        }
        return DECLARED;
    }
}
