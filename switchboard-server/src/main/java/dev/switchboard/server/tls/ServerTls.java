package dev.switchboard.server.tls;

import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.TlsSettings;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server's TLS: the JDK's own TLS (no native library), TLS 1.2 and 1.3 with HTTP/2's cipher suites,
 * and ALPN offering {@code h2} then {@code http/1.1}. Built once at start; a bad certificate or key
 * stops the start with a message naming the setting.
 */
public record ServerTls(SslContext context, List<X509Certificate> chain) {

    /** The TLS the settings ask for, or null when they ask for none. */
    public static ServerTls of(TlsSettings settings) {
        if (!settings.enabled()) {
            return null;
        }
        if (settings.selfSigned()) {
            SelfSignedKeys keys = SelfSignedKeys.generate();
            return build(SslContextBuilder.forServer(keys.keyManagers()), keys.chain(), "tls-self-signed=true");
        }
        List<X509Certificate> chain = readChain(settings.certificate());
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(settings.certificate().toFile(), settings.privateKey().toFile());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid tls-key=" + settings.privateKey() + ": " + e.getMessage()
                    + "; the key must be an unencrypted PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert one with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        return build(builder, chain, "tls-cert=" + settings.certificate() + " with tls-key=" + settings.privateKey());
    }

    private static ServerTls build(SslContextBuilder builder, List<X509Certificate> chain, String source) {
        try {
            SslContext context = builder.sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
            return new ServerTls(context, chain);
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("cannot set up TLS from " + source + ": " + e.getMessage()
                    + "; the key must be an unencrypted PEM PKCS#8 key matching the certificate");
        }
    }

    private static List<X509Certificate> readChain(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new ConfigException("invalid tls-cert=" + pem + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
            }
            return List.copyOf(chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("invalid tls-cert=" + pem + ": not a PEM certificate chain (" + e.getMessage() + ")");
        }
    }

    /** The server's certificate (the first of the chain). */
    public X509Certificate certificate() {
        return chain.getFirst();
    }
}
