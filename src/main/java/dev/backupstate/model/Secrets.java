package dev.backupstate.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one way the engine masks secrets wherever a command, a document or a fact becomes text: answers
 * (dry runs, outcomes, rules surfaces), logs, the audit and the outbox's descriptions. A value named
 * like a secret (kubeconfig, credential, secret, password, token, key) is shown only when it is a
 * reference ({@code secret:NS/NAME}, {@code file:PATH}, {@code env:NAME}), which names where the secret
 * lives without holding it.
 */
public final class Secrets {

    /** What stands in for a masked value, everywhere. */
    public static final String MASK = "(not shown)";

    private static final Pattern SECRET_NAME = Pattern.compile("(?i)kubeconfig|credential|secret|password|token|key");

    private Secrets() {
    }

    /** True when a value of this name may hold a secret. */
    public static boolean named(String name) {
        return name != null && SECRET_NAME.matcher(name).find();
    }

    /** True when the value only names where a secret lives. */
    public static boolean reference(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return text.startsWith("secret:") || text.startsWith("file:") || text.startsWith("env:")
                || Command.REMOVED.equals(value);
    }

    /** The value as it may be shown: itself, or {@link #MASK} when its name says secret and it is no reference. */
    public static String mask(String name, String value) {
        if (value == null || !named(name) || reference(value)) {
            return value;
        }
        return MASK;
    }
}
