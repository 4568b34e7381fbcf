package dev.switchboard.server.tls;

import dev.switchboard.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A key pair and a self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1},
 * made at start by the running JDK's own {@code keytool} (the JDK has no public API to sign a
 * certificate, and this keeps BouncyCastle out). The temporary PKCS#12 file is deleted once loaded.
 * For development only: no client trusts it unless told to.
 */
record SelfSignedKeys(KeyManagerFactory keyManagers, List<X509Certificate> chain) {
    private static final String ALIAS = "switchboard";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    static SelfSignedKeys generate() {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new ConfigException("tls-self-signed=true needs the JDK's keytool, but there is none at " + keytool
                    + " (a JRE without tools?): give tls-cert and tls-key instead");
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        char[] password = HexFormat.of().formatHex(secret).toCharArray();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("switchboard-tls-");
            Path store = dir.resolve("self-signed.p12");
            ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
                    "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass:env", "SB_STOREPASS", "-keypass:env", "SB_STOREPASS")
                    .redirectErrorStream(true);
            pb.environment().put("SB_STOREPASS", new String(password));
            Process p = pb.start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ConfigException("tls-self-signed=true: " + keytool + " failed: " + new String(output, StandardCharsets.UTF_8).trim());
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            List<X509Certificate> chain = new ArrayList<>();
            for (var c : ks.getCertificateChain(ALIAS)) {
                chain.add((X509Certificate) c);
            }
            return new SelfSignedKeys(kmf, List.copyOf(chain));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("tls-self-signed=true: cannot make the certificate: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("tls-self-signed=true: interrupted while making the certificate");
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover temp file of a development certificate
                }
            }
        }
    }
}
