package dev.switchboard.server.auth;

import dev.switchboard.core.config.AuthSettings;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Turns a request into the {@link Principal} its routes check, once per request (once per socket for
 * a WebSocket, at the upgrade). Runs on the event loop: it only parses and checks a signature.
 */
@FunctionalInterface
public interface Authenticator {
    /** auth=none: everyone may do everything. */
    Authenticator NONE = (request, query, queryToken) -> Principal.UNRESTRICTED;

    /**
     * @param query      the request's decoded query
     * @param queryToken whether an {@code access_token} query parameter may carry the token (SSE and
     *                   WebSocket, whose browser APIs cannot set headers)
     * @throws AuthFailure when the request carries no acceptable token
     */
    Principal authenticate(HttpRequest request, Map<String, List<String>> query, boolean queryToken);

    static Authenticator of(AuthSettings settings, Clock clock) {
        return settings.enabled() ? new BearerAuthenticator(new JwtVerifier(settings, clock)) : NONE;
    }
}
