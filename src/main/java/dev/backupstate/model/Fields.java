package dev.backupstate.model;

import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the event records; each failure names the field in the document. */
final class Fields {

    /**
     * Kubernetes object names (DNS-1123 subdomain): dot-separated labels of lower-case letters, digits
     * and '-', each starting and ending with a letter or digit, at most 253 in all. Checked exactly as
     * given: no trimming, so the name stored is the name validated.
     */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A path segment of a location's prefix. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    private Fields() {
    }

    /** A Kubernetes label's name part and value: at most 63, alphanumeric at both ends, '-', '_' and '.' inside. */
    private static final Pattern LABEL_PART = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    /**
     * Labels as Kubernetes takes them ({@code [prefix/]name: value}), at most 64: a key or value that a
     * selector could not name is refused here rather than stored unfindable.
     */
    static java.util.Map<String, String> labels(java.util.Map<String, String> labels, String field) {
        if (labels == null || labels.isEmpty()) {
            return java.util.Map.of();
        }
        if (labels.size() > 64) {
            throw new InvalidFieldException(field, "has " + labels.size() + " labels; at most 64");
        }
        java.util.Map<String, String> checked = new java.util.TreeMap<>();
        labels.forEach((key, value) -> {
            int slash = key == null ? -1 : key.indexOf('/');
            String name = slash < 0 ? key : key.substring(slash + 1);
            if (key == null || name == null || !LABEL_PART.matcher(name).matches()
                    || slash >= 0 && (slash > 253 || !NAME.matcher(key.substring(0, slash)).matches())) {
                throw new InvalidFieldException(field, "'" + printable(String.valueOf(key)) + "' is not a label key "
                        + "([prefix/]name: name at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)");
            }
            String text = value == null ? "" : value;
            if (!text.isEmpty() && !LABEL_PART.matcher(text).matches()) {
                throw new InvalidFieldException(field + "." + key, "'" + printable(text) + "' is not a label value "
                        + "(at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)");
            }
            checked.put(key, text);
        });
        return java.util.Collections.unmodifiableMap(checked);
    }

    static String validName(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new InvalidFieldException(field, "is required");
        }
        if (value.length() > 253 || !NAME.matcher(value).matches()) {
            throw new InvalidFieldException(field, "'" + printable(value) + "' is not a valid name (DNS-1123: lower-case "
                    + "letters, digits and '-', in labels separated by single dots, starting and ending with a letter or "
                    + "digit, at most 253)");
        }
        return value;
    }

    /** A location's prefix: path segments separated by '/', none empty, '.' or '..'; no leading '/'. */
    static String prefix(String value, String field) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (trimmed.length() > 512) {
            throw new InvalidFieldException(field, "is longer than 512 characters");
        }
        for (String segment : trimmed.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                throw new InvalidFieldException(field, "'" + printable(value) + "' is not a path of folder names "
                        + "(letters, digits, '.', '_' and '-', separated by single '/', no leading '/', no '.' or '..')");
            }
        }
        return trimmed;
    }

    /** An object store's endpoint: an http(s) URL with a host and nothing else (no user, query or fragment). */
    static String endpoint(String value, String field) {
        String present = required(value, field);
        java.net.URI uri;
        try {
            uri = new java.net.URI(present);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidFieldException(field, "'" + printable(present) + "' is not a URL: " + e.getReason());
        }
        if (!present.equals(value) || uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new InvalidFieldException(field, "'" + printable(present)
                    + "' is not an object store endpoint (http:// or https://, a host and optional port, nothing else)");
        }
        return present;
    }

    /**
     * Free text a person gives (a region, an NFS server): at most {@code max} characters and no control
     * character, so nothing it holds can forge a line or steer a terminal where it is shown again.
     */
    static String text(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new InvalidFieldException(field, "is longer than " + max + " characters");
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new InvalidFieldException(field, "'" + printable(value) + "' holds a control character");
        }
        return value;
    }

    /** A value fit to quote in a message: control characters shown, not obeyed. */
    static String printable(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
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
