package dev.switchboard.server.auth;

import static dev.switchboard.server.auth.Jwts.claims;
import static dev.switchboard.server.auth.Jwts.grants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket with auth=jwt (ES256 here, keys made by the test): the upgrade needs a token (header or
 * access_token), every op is checked against its grants with a 403 error frame per refused op, and the
 * socket closes with 1008 when the token expires.
 */
class AuthWebSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final KeyPair EC = Jwts.ec("secp256r1");
    private static final String ORDERS = grants("{\"publish\":[\"orders.*\"],\"subscribe\":[\"orders.*\"],\"consume\":[\"orders.*\"]}");

    private static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("auth-ws-");
        server = TestServer.start(Map.of("store", "memory", "auth", "jwt", "jwt-public-key", Jwts.pem(EC.getPublic(), dir).toString(),
                "jwt-issuer", "https://issuer.test", "jwt-leeway", "0s"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String token(long seconds, String grants) {
        return Jwts.es256(EC.getPrivate(), claims(seconds, "\"iss\":\"https://issuer.test\"," + grants));
    }

    @Test
    void theUpgradeNeedsAValidToken() {
        assertRefused(null, null, 401);
        assertRefused("Bearer " + Jwts.hs256(claims(60, ORDERS)), null, 401); // HS256: not configured here
        assertRefused("Bearer " + Jwts.unsigned(claims(60, ORDERS)), null, 401);
        assertRefused("Bearer " + token(-1, ORDERS), null, 401);
        assertRefused("Bearer " + Jwts.es256(EC.getPrivate(), claims(60, "\"iss\":\"https://evil.test\"," + ORDERS)), null, 401);
        assertRefused("Bearer " + Jwts.es256(Jwts.ec("secp256r1").getPrivate(), claims(60, "\"iss\":\"https://issuer.test\"")), null, 401);
        assertRefused(null, token(-1, ORDERS), 401);
    }

    @Test
    void eachOpIsCheckedAgainstTheGrantsOfTheUpgradeToken() throws Exception {
        try (Client ws = Client.connect("Bearer " + token(60, ORDERS), null)) {
            ws.send("{\"op\":\"subscribe\",\"topic\":\"orders.ws\",\"after\":0,\"id\":1}");
            ws.send("{\"op\":\"subscribe\",\"topic\":\"payments\",\"id\":2}");
            ws.send("{\"op\":\"publish\",\"topic\":\"payments\",\"data\":\"x\",\"id\":3}");
            ws.send("{\"op\":\"consume\",\"topic\":\"payments\",\"group\":\"g\",\"id\":4}");
            ws.send("{\"op\":\"ack\",\"topic\":\"payments\",\"group\":\"g\",\"lease\":\"l\",\"offsets\":[1],\"id\":5}");
            ws.send("{\"op\":\"publish\",\"topic\":\"orders.ws\",\"data\":\"hello\",\"id\":6}");
            ws.send("{\"op\":\"consume\",\"topic\":\"orders.ws\",\"group\":\"g\",\"id\":7}");

            await().atMost(Duration.ofSeconds(10)).until(() -> ws.ofType("message").size() >= 1 && ws.ofType("ack").size() >= 1
                    && ws.ofType("error").size() >= 4);
            for (JsonNode e : ws.ofType("error")) {
                assertThat(e.path("status").asInt()).as(e.toString()).isEqualTo(403);
                assertThat(e.path("id").asInt()).as(e.toString()).isBetween(2, 5);
                assertThat(e.path("detail").asText()).contains("on topic 'payments' refused");
            }
            assertThat(ws.ofType("message").getFirst().path("data").asText()).isEqualTo("hello");
            assertThat(ws.closed).isNotDone(); // refusals do not end the socket
        }
        HttpResponseCheck.noMessages(server.url(), "payments", token(60, grants("{\"subscribe\":[\"*\"]}")));
    }

    @Test
    void browsersMayPassTheTokenAsAQueryParameter() throws Exception {
        try (Client ws = Client.connect(null, token(60, ORDERS))) {
            ws.send("{\"op\":\"subscribe\",\"topic\":\"orders.query\",\"id\":1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !ws.ofType("subscribed").isEmpty());
        }
    }

    @Test
    void theSocketClosesWith1008WhenItsTokenExpires() throws Exception {
        try (Client ws = Client.connect("Bearer " + token(2, ORDERS), null)) {
            ws.send("{\"op\":\"subscribe\",\"topic\":\"orders.expiring\",\"id\":1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !ws.ofType("subscribed").isEmpty());
            Client.Closed closed = ws.closed.get(10, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("token expired");
        }
    }

    private static void assertRefused(String authorization, String queryToken, int status) {
        assertThatThrownBy(() -> Client.connect(authorization, queryToken))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(status));
    }

    /** A JDK WebSocket that records frames as JSON and how it closed. */
    static final class Client implements WebSocket.Listener, AutoCloseable {
        record Closed(int code, String reason) {}

        final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Client connect(String authorization, String queryToken) {
            Client c = new Client();
            WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            String url = server.url().replace("http://", "ws://") + "/v1/ws" + (queryToken == null ? "" : "?access_token=" + queryToken);
            c.socket = b.buildAsync(URI.create(url), c).orTimeout(10, TimeUnit.SECONDS).join();
            return c;
        }

        void send(String text) {
            socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
        }

        List<JsonNode> ofType(String type) {
            return frames.stream().filter(f -> type.equals(f.path("type").asText())).toList();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            }
            socket.abort();
        }
    }

    /** Checks over plain HTTP that a refused op stored nothing. */
    static final class HttpResponseCheck {
        static void noMessages(String url, String topic, String token) throws Exception {
            var r = HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(url + "/v1/topics/" + topic + "/messages?after=0"))
                    .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("messages")).isEmpty();
        }
    }
}
