package dev.switchboard.core.config;

import java.nio.file.Path;

/**
 * How the server does TLS: not at all ({@link #NONE}), with a certificate made at start for localhost
 * ({@link #SELF_SIGNED}, development only), or with the PEM certificate chain and PKCS#8 key given.
 */
public record TlsSettings(Path certificate, Path privateKey, boolean selfSigned) {
    public static final TlsSettings NONE = new TlsSettings(null, null, false);
    public static final TlsSettings SELF_SIGNED = new TlsSettings(null, null, true);

    public boolean enabled() {
        return selfSigned || certificate != null;
    }
}
