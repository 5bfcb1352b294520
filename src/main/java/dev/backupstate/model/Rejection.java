package dev.backupstate.model;

/**
 * A rule's refusal; the rule book records which rule inserted it. {@code code} is the reason as the
 * outcome names it: a built-in {@link Reason}'s name, or a code declared in rules/reasons.yaml
 * ({@code new Rejection("CHANGE_FREEZE", "...")}, whose reason is then {@link Reason#DECLARED}).
 */
public record Rejection(Reason reason, String message, String code) {

    public Rejection(Reason reason, String message) {
        this(reason, message, reason.name());
    }

    /** A refusal by code: a built-in reason's name, or a code declared in rules/reasons.yaml. */
    public Rejection(String code, String message) {
        this(Reason.of(code), message, code);
    }
}
