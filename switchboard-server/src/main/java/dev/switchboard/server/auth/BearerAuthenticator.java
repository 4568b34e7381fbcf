package dev.switchboard.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * RFC 6750 bearer tokens: {@code Authorization: Bearer <jwt>} on every endpoint, or {@code ?access_token=<jwt>}
 * where the route allows it (SSE and WebSocket: a browser's {@code EventSource} and {@code WebSocket}
 * cannot set headers). One of the two, not both (RFC 6750 §2).
 */
final class BearerAuthenticator implements Authenticator {
    static final String QUERY_PARAMETER = "access_token";
    private static final String SCHEME = "bearer ";

    private final JwtVerifier verifier;

    BearerAuthenticator(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Principal authenticate(HttpRequest request, Map<String, List<String>> query, boolean queryToken) {
        List<String> headers = request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        List<String> params = query.getOrDefault(QUERY_PARAMETER, List.of());
        if (headers.size() + params.size() > 1) {
            throw AuthFailure.invalidRequest("the request carries " + (headers.size() + params.size())
                    + " tokens (Authorization headers and access_token parameters): send exactly one");
        }
        if (!params.isEmpty() && !queryToken) {
            throw AuthFailure.invalidRequest("access_token in the query is accepted only by SSE and WebSocket endpoints: "
                    + "send the token as Authorization: Bearer <token>");
        }
        String token;
        if (!params.isEmpty()) {
            token = params.getFirst();
        } else if (!headers.isEmpty()) {
            String h = headers.getFirst().strip();
            if (!h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                int space = h.indexOf(' ');
                throw AuthFailure.missing("the Authorization header uses the '" + (space < 0 ? h : h.substring(0, space))
                        + "' scheme; this server takes Authorization: Bearer <token>");
            }
            token = h.substring(SCHEME.length()).strip();
        } else {
            throw AuthFailure.missing("this server requires a bearer token: send Authorization: Bearer <token>"
                    + (queryToken ? " or ?access_token=<token>" : ""));
        }
        return verifier.verify(token);
    }
}
