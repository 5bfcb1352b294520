package dev.backupstate.model;

import java.util.Locale;

/**
 * An enum constant with the name the matrix shows to users. Parsing accepts that name in any
 * spelling an operator is likely to type: "Partial Success", "PartialSuccess", "PARTIAL_SUCCESS",
 * "partial-success".
 */
public interface Labelled {

    String label();

    static <E extends Enum<E> & Labelled> E parse(Class<E> type, String text) {
        if (text == null) {
            throw new IllegalArgumentException("a " + type.getSimpleName() + " is required");
        }
        String wanted = normalise(text);
        for (E candidate : type.getEnumConstants()) {
            if (normalise(candidate.name()).equals(wanted) || normalise(candidate.label()).equals(wanted)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a " + type.getSimpleName()
                + "; expected one of " + labels(type));
    }

    static <E extends Enum<E> & Labelled> String labels(Class<E> type) {
        StringBuilder all = new StringBuilder();
        for (E candidate : type.getEnumConstants()) {
            all.append(all.length() == 0 ? "" : ", ").append(candidate.label());
        }
        return all.toString();
    }

    private static String normalise(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
