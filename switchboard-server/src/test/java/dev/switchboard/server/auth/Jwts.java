package dev.switchboard.server.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints test tokens the way an issuer would, on the JDK: HS256, RS256, ES256, and broken ones on purpose. */
final class Jwts {
    static final String SECRET = "a-test-secret-of-more-than-32-bytes-0123456789";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jwts() {}

    static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /** Claims with {@code exp} in {@code seconds} from now and the given extra members (JSON, without braces). */
    static String claims(long seconds, String extra) {
        long exp = Instant.now().getEpochSecond() + seconds;
        return "{\"sub\":\"tester\",\"exp\":" + exp + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String grants(String grants) {
        return "\"switchboard\":" + grants;
    }

    static String hs256(String claims) {
        return hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, SECRET.getBytes(StandardCharsets.UTF_8));
    }

    static String hs256(String header, String claims, byte[] secret) {
        String input = b64(header) + "." + b64(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(PrivateKey key, String claims) {
        return sign("{\"alg\":\"RS256\"}", claims, "SHA256withRSA", key);
    }

    static String es256(PrivateKey key, String claims) {
        return sign("{\"alg\":\"ES256\"}", claims, "SHA256withECDSAinP1363Format", key);
    }

    static String sign(String header, String claims, String algorithm, PrivateKey key) {
        String input = b64(header) + "." + b64(claims);
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none} with an empty signature, as RFC 7519 §6.1 writes an unsecured JWT. */
    static String unsigned(String claims) {
        return b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".";
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code key} as a SubjectPublicKeyInfo PEM, as {@code openssl pkey -pubout} would. */
    static Path pem(PublicKey key, Path dir) throws java.io.IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        Path file = Files.createTempFile(dir, "key-", ".pem");
        Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        return file;
    }
}
