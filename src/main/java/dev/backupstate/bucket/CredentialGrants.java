package dev.backupstate.bucket;

import dev.backupstate.model.CredentialGrant;
import dev.backupstate.model.Labelled;
import dev.backupstate.model.Role;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The grants of the configured credentials, read from {@code bse.credentials.NAME.users}, {@code .roles},
 * {@code .endpoints} and {@code .buckets}. A credential named nowhere in them gets the default grant
 * (admins only, anywhere): {@link CredentialGrant#adminsOnly}.
 */
public final class CredentialGrants implements Function<String, CredentialGrant> {

    private static final String PREFIX = "bse.credentials.";
    private static final Set<String> ASPECTS = Set.of("users", "roles", "endpoints", "buckets");

    private final Map<String, CredentialGrant> grants;

    private CredentialGrants(Map<String, CredentialGrant> grants) {
        this.grants = Map.copyOf(grants);
    }

    public static CredentialGrants from(Map<String, String> settings) {
        Map<String, Map<String, Set<String>>> aspects = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                int dot = key.lastIndexOf('.');
                String aspect = key.substring(dot + 1);
                if (dot > PREFIX.length() && ASPECTS.contains(aspect)) {
                    aspects.computeIfAbsent(key.substring(PREFIX.length(), dot), name -> new HashMap<>()).put(aspect, list(value));
                }
            }
        });
        Map<String, CredentialGrant> grants = new HashMap<>();
        aspects.forEach((name, of) -> {
            Set<Role> roles;
            try {
                roles = of.getOrDefault("roles", Set.of()).stream().map(role -> Labelled.parse(Role.class, role))
                        .collect(Collectors.toSet());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PREFIX + name + ".roles: " + e.getMessage(), e);
            }
            if (!of.containsKey("users") && !of.containsKey("roles")) {
                roles = Set.of(Role.ADMIN);
            }
            grants.put(name, new CredentialGrant(name, of.getOrDefault("users", Set.of()), roles,
                    of.getOrDefault("endpoints", Set.of()), of.getOrDefault("buckets", Set.of())));
        });
        return new CredentialGrants(grants);
    }

    @Override
    public CredentialGrant apply(String name) {
        return grants.getOrDefault(name, CredentialGrant.adminsOnly(name));
    }

    private static Set<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
