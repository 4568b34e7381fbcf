package dev.switchboard.server.auth;

import static dev.switchboard.server.auth.Jwts.b64;
import static dev.switchboard.server.auth.Jwts.claims;
import static dev.switchboard.server.auth.Jwts.grants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.AuthSettings;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong is refused, with a detail that says which; the good ones carry their grants. */
class JwtVerifierTest {
    private static final byte[] SECRET = Jwts.SECRET.getBytes(StandardCharsets.UTF_8);
    private static final KeyPair RSA = Jwts.rsa(2048);
    private static final KeyPair EC = Jwts.ec("secp256r1");
    private static final String OK = claims(60, grants("{\"publish\":[\"orders.*\"]}"));

    private static JwtVerifier hs(String issuer, String audience, Duration leeway) {
        return new JwtVerifier(new AuthSettings(true, SECRET, null, issuer, audience, leeway, false), Clock.systemUTC());
    }

    private static JwtVerifier hs() {
        return hs(null, null, Duration.ZERO);
    }

    private static JwtVerifier rsa() {
        return new JwtVerifier(new AuthSettings(true, null, RSA.getPublic(), null, null, Duration.ZERO, false), Clock.systemUTC());
    }

    private static JwtVerifier ec() {
        return new JwtVerifier(new AuthSettings(true, null, EC.getPublic(), null, null, Duration.ZERO, false), Clock.systemUTC());
    }

    private static void refused(JwtVerifier v, String token, String detail) {
        assertThatThrownBy(() -> v.verify(token))
                .isInstanceOfSatisfying(AuthFailure.class, f -> {
                    assertThat(f.code().status()).isEqualTo(401);
                    assertThat(f.challenge()).contains("error=\"invalid_token\"");
                })
                .hasMessageContaining(detail);
    }

    @Test
    void aGoodHs256TokenCarriesItsSubjectGrantsAndExpiry() {
        Principal p = hs().verify(Jwts.hs256(OK));
        assertThat(p.subject()).isEqualTo("tester");
        assertThat(p.allows(Action.PUBLISH, "orders.eu")).isTrue();
        assertThat(p.allows(Action.PUBLISH, "orders")).isFalse();
        assertThat(p.allows(Action.SUBSCRIBE, "orders.eu")).isFalse();
        assertThat(p.validUntil()).isAfter(Instant.now());
    }

    @Test
    void goodRs256AndEs256TokensVerify() {
        assertThat(rsa().verify(Jwts.rs256(RSA.getPrivate(), OK)).allows(Action.PUBLISH, "orders.x")).isTrue();
        assertThat(ec().verify(Jwts.es256(EC.getPrivate(), OK)).allows(Action.PUBLISH, "orders.x")).isTrue();
    }

    @Test
    void algNoneIsRefusedInAnySpelling() {
        refused(hs(), Jwts.unsigned(OK), "alg=none");
        refused(hs(), b64("{\"alg\":\"NONE\"}") + "." + b64(OK) + "." + b64("x"), "alg=none");
        refused(hs(), b64("{\"alg\":\"none\"}") + "." + b64(OK) + "." + Jwts.hs256(OK).split("\\.")[2], "alg=none");
    }

    @Test
    void anAlgorithmTheServerIsNotConfiguredForIsRefused() {
        refused(hs(), Jwts.rs256(RSA.getPrivate(), OK), "alg 'RS256' refused: this server accepts [HS256]");
        refused(rsa(), Jwts.hs256(OK), "alg 'HS256' refused");
        refused(ec(), Jwts.rs256(RSA.getPrivate(), OK), "alg 'RS256' refused");
        refused(hs(), Jwts.hs256("{\"alg\":\"HS512\"}", OK, SECRET), "alg 'HS512' refused");
        refused(hs(), Jwts.hs256("{\"typ\":\"JWT\"}", OK, SECRET), "no 'alg'");
    }

    @Test
    void anHs256TokenSignedWithThePublicKeyBytesIsRefused() {
        // Algorithm confusion: an attacker signs HMAC with the (public) RSA key; this server takes HS256 only with jwt-secret.
        refused(rsa(), Jwts.hs256("{\"alg\":\"HS256\"}", OK, RSA.getPublic().getEncoded()), "alg 'HS256' refused");
    }

    @Test
    void aBadSignatureIsRefused() {
        String token = Jwts.hs256(OK);
        String otherClaims = claims(60, grants("{\"publish\":[\"*\"]}"));
        String[] parts = token.split("\\.");
        refused(hs(), parts[0] + "." + b64(otherClaims) + "." + parts[2], "HS256 signature does not verify");
        refused(hs(), Jwts.hs256("{\"alg\":\"HS256\"}", OK, "another-secret-that-is-also-32-bytes-long!".getBytes()), "does not verify");
        refused(rsa(), Jwts.rs256(Jwts.rsa(2048).getPrivate(), OK), "RS256 signature does not verify");
        refused(ec(), Jwts.es256(Jwts.ec("secp256r1").getPrivate(), OK), "ES256 signature does not verify");
        refused(rsa(), Jwts.rs256(RSA.getPrivate(), OK).split("\\.", 3)[0] + "." + b64(OK) + "." + b64("short"), "does not verify");
    }

    @Test
    void es256SignaturesMustBeRawRAndSInRange() {
        String good = Jwts.es256(EC.getPrivate(), OK);
        String input = good.substring(0, good.lastIndexOf('.'));
        String der = Jwts.sign("{\"alg\":\"ES256\"}", OK, "SHA256withECDSA", EC.getPrivate()); // ASN.1 DER, not R‖S
        refused(ec(), der, "ES256 signature does not verify");
        refused(ec(), input + "." + b64(new byte[64]), "ES256 signature does not verify"); // r = s = 0 (CVE-2022-21449)
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xff); // r, s >= n
        refused(ec(), input + "." + b64(ones), "ES256 signature does not verify");
    }

    @Test
    void malformedTokensAreRefusedBeforeAnyCrypto() {
        String good = Jwts.hs256(OK);
        refused(hs(), "not-a-jwt", "1 dot-separated parts, not 3");
        refused(hs(), good + ".x.y", "5 dot-separated parts, not 3 (encrypted JWTs are not accepted)");
        refused(hs(), good + "=", "outside base64url");
        refused(hs(), good.replace('.', '+'), "outside base64url");
        refused(hs(), "." + b64(OK) + ".c2ln", "header is empty");
        refused(hs(), b64("not json") + "." + b64(OK) + ".c2ln", "header is not JSON");
        refused(hs(), b64("[1]") + "." + b64(OK) + ".c2ln", "header is not a JSON object");
        refused(hs(), b64("{\"alg\":\"none\",\"alg\":\"HS256\"}") + "." + b64(OK) + ".c2ln", "not JSON"); // duplicate keys
        refused(hs(), b64("{\"alg\":\"HS256\"} {}") + "." + b64(OK) + ".c2ln", "not JSON"); // trailing content
        refused(hs(), Jwts.hs256("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", OK, SECRET), "'crit'");
        refused(hs(), "a".repeat(JwtVerifier.MAX_TOKEN + 1), "characters; at most");
        refused(hs(), Jwts.hs256("{\"alg\":\"HS256\"}", "\"a string\"", SECRET), "payload is not a JSON object");
    }

    @Test
    void expiryIsRequiredAndEnforcedWithTheLeeway() {
        refused(hs(), Jwts.hs256("{\"sub\":\"x\"}"), "no 'exp'");
        refused(hs(), Jwts.hs256("{\"exp\":\"tomorrow\"}"), "not a NumericDate");
        refused(hs(), Jwts.hs256(claims(-5, "")), "the token expired at");
        assertThat(hs(null, null, Duration.ofSeconds(30)).verify(Jwts.hs256(claims(-5, ""))).subject()).isEqualTo("tester");
        refused(hs(null, null, Duration.ofSeconds(30)), Jwts.hs256(claims(-60, "")), "leeway 30s");
    }

    @Test
    void notBeforeIsEnforcedWhenPresent() {
        long now = Instant.now().getEpochSecond();
        refused(hs(), Jwts.hs256(claims(600, "\"nbf\":" + (now + 300))), "not valid before");
        assertThat(hs(null, null, Duration.ofSeconds(30)).verify(Jwts.hs256(claims(600, "\"nbf\":" + (now + 10))))).isNotNull();
        assertThat(hs().verify(Jwts.hs256(claims(600, "\"nbf\":" + (now - 10))))).isNotNull();
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() {
        JwtVerifier v = hs("https://issuer.example", "switchboard", Duration.ZERO);
        assertThat(v.verify(Jwts.hs256(claims(60, "\"iss\":\"https://issuer.example\",\"aud\":\"switchboard\"")))).isNotNull();
        assertThat(v.verify(Jwts.hs256(claims(60, "\"iss\":\"https://issuer.example\",\"aud\":[\"other\",\"switchboard\"]")))).isNotNull();
        refused(v, Jwts.hs256(claims(60, "\"iss\":\"https://evil.example\",\"aud\":\"switchboard\"")), "issuer \"https://evil.example\"");
        refused(v, Jwts.hs256(claims(60, "\"aud\":\"switchboard\"")), "issuer (none)");
        refused(v, Jwts.hs256(claims(60, "\"iss\":\"https://issuer.example\",\"aud\":\"other\"")), "audience \"other\" does not name 'switchboard'");
        refused(v, Jwts.hs256(claims(60, "\"iss\":\"https://issuer.example\"")), "audience (none)");
    }

    @Test
    void malformedGrantsRefuseTheToken() {
        refused(hs(), Jwts.hs256(claims(60, grants("[\"orders\"]"))), "must be an object");
        refused(hs(), Jwts.hs256(claims(60, grants("{\"publsh\":[\"orders\"]}"))), "unknown key 'publsh'");
        refused(hs(), Jwts.hs256(claims(60, grants("{\"publish\":\"orders\"}"))), "must be an array");
        refused(hs(), Jwts.hs256(claims(60, grants("{\"publish\":[1]}"))), "not a string");
        refused(hs(), Jwts.hs256(claims(60, grants("{\"publish\":[\"\"]}"))), "invalid pattern");
    }

    @Test
    void aTokenWithoutGrantsIsValidButMayDoNothing() {
        Principal p = hs().verify(Jwts.hs256(claims(60, "")));
        for (Action a : Action.values()) {
            assertThat(p.allows(a, "anything")).isFalse();
        }
        assertThatThrownBy(() -> p.require(Action.CONSUME, "orders"))
                .hasMessageContaining("consume on topic 'orders' refused: the token of 'tester' grants consume on []");
    }

    @Test
    void aRememberedTokenIsStillRefusedOnceItExpires() {
        Instant start = Instant.now();
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        JwtVerifier v = new JwtVerifier(new AuthSettings(true, SECRET, null, null, null, Duration.ofSeconds(5), false), clock);
        String token = Jwts.hs256(claims(10, ""));
        Principal first = v.verify(token);
        assertThat(v.verify(token)).isSameAs(first); // remembered, not checked again
        now.set(start.plusSeconds(14));
        assertThat(v.verify(token)).isSameAs(first); // within the leeway
        now.set(start.plusSeconds(17));
        refused(v, token, "the token expired at");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + Jwts.b64("x".repeat(32));
        refused(v, forged, "does not verify"); // a token is remembered by its whole text, signature included
    }

    @Test
    void patternsMatchWholeNamesWithStarForAnyRun() {
        NamePattern p = new NamePattern("orders.*");
        assertThat(p.matches("orders.eu")).isTrue();
        assertThat(p.matches("orders.eu/paid")).isTrue();
        assertThat(p.matches("orders.")).isTrue();
        assertThat(p.matches("orders")).isFalse();
        assertThat(p.matches("xorders.eu")).isFalse();
        assertThat(new NamePattern("*").matches("_jobs/123")).isTrue();
        assertThat(new NamePattern("_jobs/*").matches("_jobs/123")).isTrue();
        assertThat(new NamePattern("a*b*c").matches("aXXbYYc")).isTrue();
        assertThat(new NamePattern("a*b*c").matches("aXXbYYcd")).isFalse();
        assertThat(new NamePattern("orders").matches("orders")).isTrue();
        assertThat(new NamePattern("orders").matches("orders2")).isFalse();
        assertThat(new NamePattern("a?").matches("ab")).isFalse(); // only * is special
        assertThat(new NamePattern("*a*a*a*a*a*a*a*b").matches("a".repeat(200))).isFalse(); // and fast
    }

    @Test
    void theChallengeIsAValidQuotedStringWhateverTheTokenHeld() {
        AuthFailure f = AuthFailure.invalidToken("alg '\"\\\n\u00e9" + "x".repeat(1000) + "' refused");
        assertThat(f.challenge()).startsWith("Bearer realm=\"switchboard\", error=\"invalid_token\", error_description=\"alg '????x")
                .hasSizeLessThan(400).matches("[\\x20-\\x7e]*");
    }
}
