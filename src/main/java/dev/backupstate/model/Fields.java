package dev.backupstate.model;

import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the event records; each failure names the field in the document. */
final class Fields {

    /** Kubernetes-style names (RFC 1123 label, dots allowed), as clusters and backups use. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private Fields() {
    }

    static String validName(String value, String field) {
        String present = required(value, field);
        if (!NAME.matcher(present).matches()) {
            throw new InvalidFieldException(field, "'" + present
                    + "' is not a valid name (lower-case letters, digits, '-' and '.', at most 253)");
        }
        return present;
    }

    static String optionalName(String value, String field) {
        return value == null || value.isBlank() ? null : validName(value, field);
    }

    static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidFieldException(field, "is required");
        }
        return value.trim();
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }

    static List<String> names(List<String> values, String field) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            validName(values.get(i), field + "[" + i + "]");
        }
        return List.copyOf(values);
    }

    static int atLeast(Integer value, int minimum, String field) {
        required(value, field);
        if (value < minimum) {
            throw new InvalidFieldException(field, value + " is below the minimum of " + minimum);
        }
        return value;
    }
}
