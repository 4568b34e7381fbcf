package dev.switchboard.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.config.AuthSettings;
import dev.switchboard.core.config.Durations;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a compact JWS (RFC 7515) JWT (RFC 7519) on the JDK's own crypto, because nimbus-jose-jwt does
 * not resolve in this build's offline repository. It does only what the server needs and refuses
 * everything else, in this order, before it reads a single claim:
 *
 * <ol>
 *   <li>three base64url segments without padding, at most {@value #MAX_TOKEN} characters (a JWE's five are refused);
 *   <li>a header that is a JSON object without duplicate keys, without {@code crit}, whose {@code alg}
 *       is one this server is configured for: HS256 with jwt-secret, RS256 with an RSA jwt-public-key,
 *       ES256 with an EC P-256 one. {@code none} and every other name are refused; the key is chosen by
 *       the configuration, never by the token (no {@code jwk}, {@code jku}, {@code x5u}, {@code kid});
 *   <li>the signature: HMAC compared in constant time; RSA PKCS#1 v1.5 with SHA-256; ECDSA as the
 *       64-byte R‖S of RFC 7518 §3.4 with both halves in [1, n-1];
 *   <li>then the claims: {@code exp} required and not passed, {@code nbf} if present reached (both
 *       with the leeway), {@code iss} and {@code aud} when configured, and the grants.
 * </ol>
 */
final class JwtVerifier {
    static final int MAX_TOKEN = 8192;
    static final String GRANTS_CLAIM = "switchboard";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final byte[] hmacSecret;
    private final PublicKey publicKey;
    private final String issuer;
    private final String audience;
    private final Duration leeway;
    private final Clock clock;
    private final Set<String> algorithms = new TreeSet<>();
    /**
     * Tokens that verified, by their exact text: a client sends one token on every request until it
     * refreshes it, and checking an ES256 signature costs about 0.5 ms of event-loop time (RS256 about
     * 50 µs, HS256 3 µs; JDK 25 here). A hit re-checks only the expiry ({@code nbf} had passed). Only
     * verified tokens get in, and the map is cleared when full, so it stays bounded.
     */
    private final Map<String, Principal> verified = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_REMEMBERED = 4096;

    JwtVerifier(AuthSettings settings, Clock clock) {
        this.hmacSecret = settings.hmacSecret() == null ? null : settings.hmacSecret().clone();
        this.publicKey = settings.publicKey();
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.leeway = settings.leeway();
        this.clock = clock;
        if (hmacSecret != null) {
            algorithms.add("HS256");
        }
        if (publicKey instanceof RSAPublicKey) {
            algorithms.add("RS256");
        } else if (publicKey instanceof ECPublicKey) {
            algorithms.add("ES256");
        }
    }

    /** @throws AuthFailure {@code invalid_token}, saying which check failed */
    Principal verify(String token) {
        Principal known = verified.get(token);
        if (known != null) {
            if (!clock.instant().isAfter(known.validUntil())) {
                return known;
            }
            verified.remove(token); // expired: checked in full below, which says so
        }
        Principal p = verifyInFull(token);
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(token, p);
        return p;
    }

    private Principal verifyInFull(String token) {
        if (token.length() > MAX_TOKEN) {
            throw AuthFailure.invalidToken("the token has " + token.length() + " characters; at most " + MAX_TOKEN + " are accepted");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                throw AuthFailure.invalidToken("the token is not a JWT: it holds a character outside base64url and '.'");
            }
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw AuthFailure.invalidToken("the token is not a signed JWT: it has " + parts.length + " dot-separated parts, not 3"
                    + (parts.length == 5 ? " (encrypted JWTs are not accepted)" : ""));
        }
        JsonNode header = object(decode(parts[0], "header"), "header");
        String alg = algorithm(header);
        byte[] signature = decode(parts[2], "signature");
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!signatureValid(alg, signed, signature)) {
            throw AuthFailure.invalidToken("the token's " + alg + " signature does not verify");
        }
        return principal(object(decode(parts[1], "payload"), "payload"));
    }

    private String algorithm(JsonNode header) {
        if (header.has("crit")) {
            throw AuthFailure.invalidToken("the token's header has 'crit' extensions this server does not understand");
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw AuthFailure.invalidToken("the token's header has no 'alg'");
        }
        String name = alg.textValue();
        if (name.equalsIgnoreCase("none")) {
            throw AuthFailure.invalidToken("unsigned token (alg=none) refused: tokens must be signed with " + algorithms);
        }
        if (!algorithms.contains(name)) {
            throw AuthFailure.invalidToken("alg '" + name + "' refused: this server accepts " + algorithms
                    + " (set by jwt-secret and jwt-public-key)");
        }
        return name;
    }

    private boolean signatureValid(String alg, byte[] signed, byte[] signature) {
        try {
            return switch (alg) {
                case "HS256" -> {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(hmacSecret, "HmacSHA256"));
                    yield MessageDigest.isEqual(mac.doFinal(signed), signature); // constant time
                }
                case "RS256" -> verify("SHA256withRSA", signed, signature);
                case "ES256" -> signature.length == 64 && inRange(signature) && verify("SHA256withECDSAinP1363Format", signed, signature);
                default -> false;
            };
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature, e.g. an RSA one of the wrong length
        }
    }

    private boolean verify(String algorithm, byte[] signed, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(publicKey);
        s.update(signed);
        return s.verify(signature);
    }

    /** r and s both in [1, n-1] (the JDK checks this too since CVE-2022-21449; checked here regardless). */
    private boolean inRange(byte[] signature) {
        BigInteger n = ((ECPublicKey) publicKey).getParams().getOrder();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(n) < 0 && s.compareTo(n) < 0;
    }

    private Principal principal(JsonNode claims) {
        Instant now = clock.instant();
        Instant exp = numericDate(claims, "exp");
        if (exp == null) {
            throw AuthFailure.invalidToken("the token has no 'exp': tokens must expire");
        }
        Instant validUntil = exp.plus(leeway);
        if (now.isAfter(validUntil)) {
            throw AuthFailure.invalidToken("the token expired at " + exp + " (now " + now + ", leeway " + Durations.format(leeway) + ")");
        }
        Instant nbf = numericDate(claims, "nbf");
        if (nbf != null && now.plus(leeway).isBefore(nbf)) {
            throw AuthFailure.invalidToken("the token is not valid before " + nbf + " (now " + now + ", leeway " + Durations.format(leeway) + ")");
        }
        if (issuer != null && !issuer.equals(text(claims, "iss"))) {
            throw AuthFailure.invalidToken("the token's issuer " + quoted(claims.get("iss")) + " is not '" + issuer + "' (jwt-issuer)");
        }
        if (audience != null && !audienceMatches(claims.get("aud"))) {
            throw AuthFailure.invalidToken("the token's audience " + quoted(claims.get("aud")) + " does not name '" + audience + "' (jwt-audience)");
        }
        String sub = text(claims, "sub");
        return new Principal(sub == null ? "a token without sub" : sub, grants(claims.get(GRANTS_CLAIM)), validUntil);
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return aud.textValue().equals(audience);
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isTextual() && a.textValue().equals(audience)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code {"publish":["orders.*"],"subscribe":[…],"consume":[…],"jobs":[…],"work":[…]}}: each key
     * optional, each value an array of patterns. Anything else refuses the token, so a typo in a grant
     * is reported instead of granting nothing silently.
     */
    static Map<Action, List<NamePattern>> grants(JsonNode claim) {
        Map<Action, List<NamePattern>> grants = new EnumMap<>(Action.class);
        if (claim == null || claim.isNull()) {
            return grants;
        }
        if (!claim.isObject()) {
            throw AuthFailure.invalidToken("the token's '" + GRANTS_CLAIM + "' claim must be an object such as {\"publish\":[\"orders.*\"]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = claim.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Action action = Action.byClaim(e.getKey());
            if (action == null) {
                throw AuthFailure.invalidToken("the token's '" + GRANTS_CLAIM + "' claim has an unknown key '" + e.getKey()
                        + "': use publish, subscribe, consume, jobs and work");
            }
            if (!e.getValue().isArray()) {
                throw AuthFailure.invalidToken("the token's '" + GRANTS_CLAIM + "." + e.getKey() + "' must be an array of patterns");
            }
            List<NamePattern> patterns = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                if (!p.isTextual()) {
                    throw AuthFailure.invalidToken("the token's '" + GRANTS_CLAIM + "." + e.getKey() + "' holds " + p + ", not a string");
                }
                try {
                    patterns.add(new NamePattern(p.textValue()));
                } catch (IllegalArgumentException bad) {
                    throw AuthFailure.invalidToken("the token's '" + GRANTS_CLAIM + "." + e.getKey() + "' holds an invalid pattern: " + bad.getMessage());
                }
            }
            grants.put(action, List.copyOf(patterns));
        }
        return grants;
    }

    private static Instant numericDate(JsonNode claims, String name) {
        JsonNode v = claims.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw AuthFailure.invalidToken("the token's '" + name + "' is " + v + ", not a NumericDate (seconds since 1970)");
        }
        double seconds = v.doubleValue();
        if (seconds < 0 || seconds > 1e11) { // 1e11 s is past the year 5000
            throw AuthFailure.invalidToken("the token's '" + name + "' of " + v + " is out of range");
        }
        return Instant.ofEpochMilli((long) (seconds * 1000));
    }

    private static String text(JsonNode claims, String name) {
        JsonNode v = claims.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static String quoted(JsonNode v) {
        return v == null ? "(none)" : v.toString();
    }

    private static byte[] decode(String segment, String what) {
        if (segment.isEmpty()) {
            throw AuthFailure.invalidToken("the token's " + what + " is empty" + (what.equals("signature") ? ": unsigned tokens are refused" : ""));
        }
        try {
            return BASE64URL.decode(segment);
        } catch (IllegalArgumentException e) {
            throw AuthFailure.invalidToken("the token's " + what + " is not base64url: " + e.getMessage());
        }
    }

    private static JsonNode object(byte[] json, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw AuthFailure.invalidToken("the token's " + what + " is not JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw AuthFailure.invalidToken("the token's " + what + " cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw AuthFailure.invalidToken("the token's " + what + " is not a JSON object");
        }
        return node;
    }
}
