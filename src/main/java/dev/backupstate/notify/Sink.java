package dev.backupstate.notify;

import dev.backupstate.model.Notice;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One notification sink as configured ({@code bse.notify.<name>.*}): its type, where it sends, and its
 * filter. A sink that cannot work (no URL, an unknown event name, a webhook without its signing secret)
 * stops the engine at start with the key named: a notification that silently never goes is worse than
 * none.
 */
public record Sink(String name, Type type, Map<String, String> settings, Filter filter) {

    public enum Type {
        WEBHOOK, SLACK, MAIL;

        /** The route template that delivers to this type (routes/notifications.camel.yaml). */
        public String template() {
            return "notify-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which notices a sink takes: each list empty means any; all given lists must match. */
    public record Filter(Set<Notice.Kind> events, Set<String> resourceKinds, Set<String> states, Set<String> reasons,
                         Set<String> clusters, Set<String> locations) {

        public boolean takes(Notice notice) {
            return (events.isEmpty() || events.contains(notice.event()))
                    && matches(resourceKinds, notice.resourceKind()) && matches(states, notice.state())
                    && matches(reasons, notice.reason()) && matches(clusters, notice.cluster())
                    && matches(locations, notice.location());
        }

        private static boolean matches(Set<String> wanted, String value) {
            return wanted.isEmpty() || value != null && wanted.contains(normal(value));
        }
    }

    public boolean takes(Notice notice) {
        return filter.takes(notice);
    }

    public String setting(String key) {
        return settings.get(key);
    }

    /** What a sink's settings may be ({@code bse.notify.NAME.SETTING}): its values, then its filter. */
    static final List<String> VALUES = List.of("url", "secret", "channel", "host", "port", "from", "to", "username", "password",
            "subject-prefix");
    public static final List<String> SETTINGS = java.util.stream.Stream.concat(java.util.stream.Stream.of("type"),
            java.util.stream.Stream.concat(VALUES.stream(), java.util.stream.Stream.of("events", "resource-kinds", "states", "reasons",
                    "clusters", "locations"))).toList();

    /** The sinks {@code bse.notify.sinks} names, read from the engine's settings. */
    public static List<Sink> configured(Function<String, String> settings) {
        String names = settings.apply("bse.notify.sinks");
        if (names == null || names.isBlank()) {
            return List.of();
        }
        return Arrays.stream(names.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> of(name, settings)).toList();
    }

    static Sink of(String name, Function<String, String> settings) {
        if (!name.matches("[a-z0-9][-a-z0-9]{0,62}")) {
            throw new IllegalArgumentException("bse.notify.sinks: '" + name + "' is not a sink name (lower-case letters, digits, '-')");
        }
        String prefix = "bse.notify." + name + ".";
        Function<String, String> key = suffix -> {
            String value = settings.apply(prefix + suffix);
            return value == null || value.isBlank() ? null : value.trim();
        };
        String typeName = key.apply("type");
        if (typeName == null) {
            throw new IllegalArgumentException(prefix + "type is missing: webhook, slack or mail");
        }
        Type type;
        try {
            type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "type: '" + typeName + "' is not webhook, slack or mail");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String setting : VALUES) {
            String value = key.apply(setting);
            if (value != null) {
                values.put(setting, value);
            }
        }
        switch (type) {
            case WEBHOOK -> {
                url(prefix, values);
                if (!values.containsKey("secret") || values.get("secret").length() < 16) {
                    throw new IllegalArgumentException(prefix + "secret: a webhook signs its body with HMAC-SHA256; give a secret "
                            + "of at least 16 characters");
                }
            }
            case SLACK -> url(prefix, values);
            case MAIL -> {
                for (String required : List.of("host", "from", "to")) {
                    if (!values.containsKey(required)) {
                        throw new IllegalArgumentException(prefix + required + " is missing (a mail sink needs host, from and to)");
                    }
                }
                values.putIfAbsent("port", "25");
                if (!values.get("port").matches("[0-9]{1,5}")) {
                    throw new IllegalArgumentException(prefix + "port: '" + values.get("port") + "' is not a port");
                }
            }
        }
        Set<Notice.Kind> events = EnumSet.noneOf(Notice.Kind.class);
        for (String event : list(key.apply("events"))) {
            events.add(Arrays.stream(Notice.Kind.values()).filter(kind -> normal(kind.name()).equals(event)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(prefix + "events: '" + event + "' is not an event; expected "
                            + Arrays.toString(Notice.Kind.values()))));
        }
        Filter filter = new Filter(events, list(key.apply("resource-kinds")), list(key.apply("states")), list(key.apply("reasons")),
                list(key.apply("clusters")), list(key.apply("locations")));
        return new Sink(name, type, Map.copyOf(values), filter);
    }

    private static void url(String prefix, Map<String, String> values) {
        String url = values.get("url");
        if (url == null) {
            throw new IllegalArgumentException(prefix + "url is missing");
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException(prefix + "url: '" + url + "' is not an http(s) URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(prefix + "url: '" + url + "' is not a URL: " + e.getReason());
        }
    }

    private static Set<String> list(String text) {
        if (text == null) {
            return Set.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Sink::normal).collect(Collectors.toSet());
    }

    /** Names compared as an operator types them: "Partial Success", "partial-success", "PARTIAL_SUCCESS". */
    static String normal(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
