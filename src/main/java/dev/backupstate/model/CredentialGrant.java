package dev.backupstate.model;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may use a configured credential, and where (README "Security"): the users and roles allowed
 * to name it in a location, and the endpoints and buckets it may be sent to. Configured as
 * {@code bse.credentials.NAME.users}, {@code .roles}, {@code .endpoints}, {@code .buckets}; a
 * credential with none of these may be used by admins, anywhere. A fact for the rules: they decide.
 */
public record CredentialGrant(String name, Set<String> users, Set<Role> roles, Set<String> endpoints, Set<String> buckets) {

    public CredentialGrant {
        users = Set.copyOf(users);
        roles = Set.copyOf(roles);
        endpoints = endpoints.stream().map(CredentialGrant::normalise).collect(Collectors.toUnmodifiableSet());
        buckets = Set.copyOf(buckets);
    }

    /** What a credential without grants allows: admins, any endpoint, any bucket. */
    public static CredentialGrant adminsOnly(String name) {
        return new CredentialGrant(name, Set.of(), Set.of(Role.ADMIN), Set.of(), Set.of());
    }

    /** True when {@code user}, with {@code role}, may use the credential. */
    public boolean allows(String user, Role role) {
        return users.contains(user) || roles.stream().anyMatch(role::covers);
    }

    /** True when the credential may be sent to {@code endpoint} for {@code bucket}. */
    public boolean covers(String endpoint, String bucket) {
        return (endpoints.isEmpty() || endpoints.contains(normalise(endpoint))) && (buckets.isEmpty() || buckets.contains(bucket));
    }

    /** Who may use it, in words, for refusals. */
    public String who() {
        String people = users.isEmpty() ? "" : "users " + String.join(", ", users.stream().sorted().toList());
        String byRole = roles.isEmpty() ? "" : "roles " + roles.stream().map(Role::label).sorted().collect(Collectors.joining(", "));
        return people.isEmpty() ? (byRole.isEmpty() ? "nobody" : byRole) : byRole.isEmpty() ? people : people + " and " + byRole;
    }

    /** Where it may be used, in words. */
    public String where() {
        return (endpoints.isEmpty() ? "any endpoint" : String.join(", ", endpoints.stream().sorted().toList()))
                + (buckets.isEmpty() ? "" : ", buckets " + String.join(", ", buckets.stream().sorted().toList()));
    }

    private static String normalise(String endpoint) {
        return endpoint == null ? "" : endpoint.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    }
}
