package dev.backupstate.inbox;

import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What a list endpoint was asked for ({@code GET /resources/{kind}?state=&location=&cluster=&owner=
 * &labelSelector=&limit=&continue=}), checked before anything is read: a filter on a field the kind does
 * not have, a state it cannot be in, a selector that does not parse, a limit out of range or a continue
 * token not ours is refused with the parameter named, never ignored.
 */
public record ListQuery(ResourceKind kind, Predicate<Resource> filter, int limit, String after) {

    public static final Set<String> PARAMETERS = Set.of("state", "location", "cluster", "owner", "labelSelector", "limit", "continue");
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 5000;

    private static final Map<Class<?>, Map<String, Method>> FIELDS = new ConcurrentHashMap<>();

    /** A parameter that cannot be answered as given. */
    public static final class BadParameter extends RuntimeException {
        private final String parameter;

        BadParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    public static ListQuery of(ResourceKind kind, Map<String, String> query) {
        List<Predicate<Resource>> tests = new ArrayList<>();
        String state = query.get("state");
        if (state != null) {
            // the state's own label, found once: each resource is then one string comparison
            String label = stateLabel(kind, state, "state");
            tests.add(resource -> label.equals(resource.stateLabel()));
        }
        for (String field : List.of("location", "cluster", "owner")) {
            String value = query.get(field);
            if (value != null) {
                tests.add(fieldEquals(kind, field, value));
            }
        }
        String selector = query.get("labelSelector");
        if (selector != null) {
            if (!kind.hasLabels()) {
                throw new BadParameter("labelSelector", kind.path() + " have no labels; labels are on backups and schedules");
            }
            tests.add(LabelSelector.parse(selector)::matches);
        }
        return new ListQuery(kind, tests.stream().reduce(resource -> true, Predicate::and), limit(query.get("limit")),
                after(query.get("continue")));
    }

    /**
     * The matrix's label of the state an operator typed ("partial-success", "Partial Success"), or a
     * refusal naming {@code parameter} and the kind's states.
     */
    static String stateLabel(ResourceKind kind, String typed, String parameter) {
        Set<String> known = kind.stateLabels();
        if (known.isEmpty()) {
            throw new BadParameter(parameter, kind.path() + " have no state");
        }
        String wanted = normalise(typed);
        return known.stream().filter(candidate -> normalise(candidate).equals(wanted)).findFirst()
                .orElseThrow(() -> new BadParameter(parameter, "'" + typed + "' is not a state of " + kind.path()
                        + "; expected one of " + known));
    }

    /** A page's continue token: the last name, opaque to clients so they do not build their own. */
    public static String token(String lastName) {
        return lastName == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(("n:" + lastName).getBytes(StandardCharsets.UTF_8));
    }

    private static String after(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("n:") && decoded.length() > 2) {
                return decoded.substring(2);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new BadParameter("continue", "'" + token + "' is not a continue token of this API (give the one the last page returned)");
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameter("limit", "limit is a whole number from 1 to " + MAX_LIMIT + ", not '" + text + "'");
    }

    /** location=, cluster=, owner=: the resource's own field of that name; for a location or cluster, its name. */
    private static Predicate<Resource> fieldEquals(ResourceKind kind, String field, String value) {
        if (field.equals("location") && kind == ResourceKind.BACKUP_LOCATION || field.equals("cluster") && kind == ResourceKind.CLUSTER) {
            return resource -> resource.name().equals(value);
        }
        Optional<Method> accessor = accessor(kind.type(), field);
        if (accessor.isEmpty()) {
            throw new BadParameter(field, kind.path() + " have no " + field);
        }
        Method method = accessor.get();
        return resource -> value.equals(read(method, resource));
    }

    private static Object read(Method method, Resource resource) {
        try {
            return method.invoke(resource);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading " + method.getName() + " of " + resource.ref(), e);
        }
    }

    private static Optional<Method> accessor(Class<?> type, String field) {
        Map<String, Method> fields = FIELDS.computeIfAbsent(type, t -> {
            Map<String, Method> byName = new ConcurrentHashMap<>();
            if (t.isRecord()) {
                for (RecordComponent component : t.getRecordComponents()) {
                    if (component.getType() == String.class) {
                        byName.put(component.getName(), component.getAccessor());
                    }
                }
            }
            return byName;
        });
        return Optional.ofNullable(fields.get(field));
    }

    private static String normalise(String text) {
        return text == null ? "" : text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Kubernetes' equality-based selectors: {@code key=value}, {@code key==value}, {@code key!=value},
     * {@code key} (has it), {@code !key} (has it not), comma-separated, all must hold.
     */
    public record LabelSelector(List<Predicate<Map<String, String>>> terms) {

        public static LabelSelector parse(String selector) {
            List<Predicate<Map<String, String>>> terms = new ArrayList<>();
            for (String raw : selector.split(",", -1)) {
                String term = raw.trim();
                java.util.regex.Matcher match = java.util.regex.Pattern
                        .compile("(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)\\s*(?:(!=|==|=)\\s*([-A-Za-z0-9_.]*))?").matcher(term);
                if (!match.matches() || !match.group(1).isEmpty() && match.group(3) != null) {
                    throw new BadParameter("labelSelector", "'" + selector + "' is not a label selector: '" + term
                            + "' is not key=value, key!=value, key or !key");
                }
                String key = match.group(2);
                String operator = match.group(3);
                String value = match.group(4);
                if (operator == null) {
                    boolean wanted = match.group(1).isEmpty();
                    terms.add(labels -> labels.containsKey(key) == wanted);
                } else if (operator.equals("!=")) {
                    terms.add(labels -> !value.equals(labels.get(key)));
                } else {
                    terms.add(labels -> value.equals(labels.get(key)));
                }
            }
            return new LabelSelector(List.copyOf(terms));
        }

        public boolean matches(Resource resource) {
            Map<String, String> labels = resource.labels();
            return terms.stream().allMatch(term -> term.test(labels));
        }
    }
}
