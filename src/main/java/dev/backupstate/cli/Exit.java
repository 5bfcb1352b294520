package dev.backupstate.cli;

/** The CLI's exit codes, for scripts: each says what to do next. */
public enum Exit {
    /** Done: accepted, found, reached the state waited for. */
    OK(0),
    /** The rules refused (the reason is printed), or --wait saw the resource end in a failed state. */
    REFUSED(1),
    /** The command or a document was wrong: usage, an unknown flag, a bad value (the engine's 400). */
    USAGE(2),
    /** The engine could not be reached, or answered 5xx: retry (the same request id acts once). */
    UNREACHABLE(3),
    /** No such resource (or not one you may see). */
    NOT_FOUND(4),
    /** --wait gave up before the end state. */
    TIMED_OUT(5),
    /** No or unknown token, or a role that does not allow it. */
    DENIED(6);

    public final int code;

    Exit(int code) {
        this.code = code;
    }
}
