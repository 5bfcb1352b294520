package dev.backupstate.inbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens from the configuration, kept only as SHA-256 hashes: {@code user=hash,user=hash}.
 * A presented token is hashed and looked up; the token itself is never stored or logged.
 */
public final class Tokens {

    private final Map<String, String> userByHash = new HashMap<>();

    public Tokens(String configured) {
        for (String entry : configured.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split("=", 2);
            if (parts.length != 2 || !parts[1].trim().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("bse.tokens: expected user=sha256-hex, got '" + parts[0] + "=...'");
            }
            userByHash.put(parts[1].trim(), parts[0].trim());
        }
    }

    /** The user a presented token belongs to. */
    public Optional<String> user(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(userByHash.get(hash(token)));
    }

    /** The hash to put in the configuration for a token: {@code bse tokens hash TOKEN}. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
