package dev.switchboard.core.config;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A {@code -----BEGIN PUBLIC KEY-----} PEM (SubjectPublicKeyInfo, what {@code openssl pkey -pubout}
 * writes) that can check JWT signatures: RSA of at least 2048 bits (RS256) or EC on P-256 (ES256).
 */
final class PemPublicKey {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    static final int MIN_RSA_BITS = 2048;

    private PemPublicKey() {}

    /** @throws IllegalArgumentException saying what is wrong with the text */
    static PublicKey parse(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(pem.contains("-----BEGIN CERTIFICATE-----") || pem.contains("RSA PUBLIC KEY")
                    ? "it holds a certificate or a PKCS#1 key; give the SubjectPublicKeyInfo form (openssl pkey -in KEY -pubout)"
                    : "no '" + BEGIN + "' block in it (openssl pkey -in KEY -pubout writes one)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its PEM body is not base64: " + e.getMessage());
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("the RSA key has " + rsa.getModulus().bitLength() + " bits; RS256 needs at least "
                        + MIN_RSA_BITS);
            }
            if (key instanceof ECPublicKey ec && !isP256(ec.getParams())) {
                throw new IllegalArgumentException("the EC key is not on P-256 (secp256r1, prime256v1), the curve of ES256");
            }
            return key;
        }
        throw new IllegalArgumentException("it is neither an RSA nor an EC public key");
    }

    static boolean isP256(ECParameterSpec params) {
        ECParameterSpec p256 = p256();
        return params.getCurve().equals(p256.getCurve()) && params.getGenerator().equals(p256.getGenerator())
                && params.getOrder().equals(p256.getOrder()) && params.getCofactor() == p256.getCofactor();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256", e);
        }
    }
}
