package dev.switchboard.core.config;

import java.security.PublicKey;
import java.time.Duration;

/**
 * Who may call the server: nobody is checked ({@link #NONE}), or every call but the health checks
 * carries a JWT signed with {@code hmacSecret} (HS256) or the private half of {@code publicKey}
 * (RS256 for RSA, ES256 for EC P-256). Checked when built by {@link ConfigLoader}: a secret of at
 * least 32 bytes, a key that parses, at least one of the two when enabled.
 *
 * @param hmacSecret the HS256 secret, or null (never printed: {@link #toString} leaves it out)
 * @param publicKey  the RSA or EC P-256 key, or null
 * @param issuer     the required {@code iss}, or null for any
 * @param audience   the {@code aud} a token must name, or null for any
 * @param leeway     clock skew allowed on {@code exp} and {@code nbf}
 * @param allowUnauthenticated true lets a server without auth bind a non-loopback address
 */
public record AuthSettings(boolean enabled, byte[] hmacSecret, PublicKey publicKey, String issuer, String audience, Duration leeway,
                           boolean allowUnauthenticated) {
    public static final AuthSettings NONE = new AuthSettings(false, null, null, null, null, Duration.ofSeconds(30), false);

    @Override
    public String toString() {
        return enabled
                ? "jwt (" + (hmacSecret != null ? "HS256" : "") + (hmacSecret != null && publicKey != null ? ", " : "")
                        + (publicKey == null ? "" : publicKey.getAlgorithm().equals("RSA") ? "RS256" : "ES256")
                        + (issuer == null ? "" : ", iss " + issuer) + (audience == null ? "" : ", aud " + audience)
                        + ", leeway " + Durations.format(leeway) + ")"
                : "none";
    }
}
