package dev.switchboard.server.auth;

import static dev.switchboard.server.auth.Jwts.claims;
import static dev.switchboard.server.auth.Jwts.grants;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * auth=jwt against a real server: every HTTP endpoint family refuses a missing, forged, unsigned, expired or
 * wrongly addressed token with 401, a valid token without the grant with 403, and serves a granted one.
 */
class AuthHttpTest {
    private static final KeyPair RSA = Jwts.rsa(2048);
    private static final String AUD = "\"aud\":\"switchboard\"";
    private static final String ALL = grants("{\"publish\":[\"*\"],\"subscribe\":[\"*\"],\"consume\":[\"*\"],\"jobs\":[\"*\"],\"work\":[\"*\"]}");
    private static final String ORDERS = grants("{\"publish\":[\"orders.*\"],\"subscribe\":[\"orders.*\"],\"consume\":[\"orders.*\"],"
            + "\"jobs\":[\"thumbnail\"],\"work\":[\"thumbnail\"]}");
    private static final String OTHERS = grants("{\"publish\":[\"other.*\"],\"subscribe\":[\"other.*\",\"orders\"],\"consume\":[\"other.*\"],"
            + "\"jobs\":[\"resize\"],\"work\":[\"resize\"]}");

    private static Path dir;
    private static TestServer server;
    private static HttpClient http;
    private static String admin;
    private static String job;

    /** The kinds of token a request may carry, and what the server must answer. */
    enum Token {
        NONE(401, null),
        BAD_SIGNATURE(401, "does not verify"),
        ALG_NONE(401, "alg=none"),
        EXPIRED(401, "expired at"),
        WRONG_AUDIENCE(401, "audience"),
        LACKING_GRANT(403, "refused: the token of 'tester' grants"),
        GRANTED(0, null),
        GRANTED_RS256(0, null);

        final int status;
        final String detail;

        Token(int status, String detail) {
            this.status = status;
            this.detail = detail;
        }

        String mint() {
            return switch (this) {
                case NONE -> null;
                case BAD_SIGNATURE -> {
                    String t = Jwts.hs256(claims(60, AUD + "," + ORDERS));
                    yield t.substring(0, t.lastIndexOf('.') + 1) + Jwts.b64("forged-signature-forged-signature");
                }
                case ALG_NONE -> Jwts.unsigned(claims(60, AUD + "," + ALL));
                case EXPIRED -> Jwts.hs256(claims(-2, AUD + "," + ORDERS));
                case WRONG_AUDIENCE -> Jwts.hs256(claims(60, "\"aud\":\"someone-else\"," + ORDERS));
                case LACKING_GRANT -> Jwts.hs256(claims(60, AUD + "," + OTHERS));
                case GRANTED -> Jwts.hs256(claims(60, AUD + "," + ORDERS));
                case GRANTED_RS256 -> Jwts.rs256(RSA.getPrivate(), claims(60, AUD + "," + ORDERS));
            };
        }
    }

    /** Every endpoint family that needs a grant, on names the ORDERS grants cover and the OTHERS ones do not. */
    enum Endpoint {
        PUBLISH("POST", "/v1/topics/orders.eu/messages", "hello"),
        READ("GET", "/v1/topics/orders.eu/messages?after=0", null),
        LONG_POLL("GET", "/v1/topics/orders.eu/messages?after=0&wait=1s", null),
        TOPIC_INFO("GET", "/v1/topics/orders.eu", null),
        SSE("GET", "/v1/topics/orders.eu/events?after=0", null),
        GROUP_FETCH("POST", "/v1/topics/orders.eu/groups/g/fetch?max=1&wait=0s&lease=1s", ""),
        GROUP_ACK("POST", "/v1/topics/orders.eu/groups/g/ack", "{\"lease\":\"bogus\",\"offsets\":[1]}"),
        GROUP_NACK("POST", "/v1/topics/orders.eu/groups/g/nack", "{\"lease\":\"bogus\",\"offsets\":[1]}"),
        GROUP_RELEASE("POST", "/v1/topics/orders.eu/groups/g/release", "{\"lease\":\"bogus\",\"offsets\":[1]}"),
        GROUP_RESET("POST", "/v1/topics/orders.eu/groups/g/reset", "{\"to\":\"latest\"}"),
        GROUP_STATE("GET", "/v1/topics/orders.eu/groups/g", null),
        GROUP_LIST("GET", "/v1/topics/orders.eu/groups", null),
        JOB_SUBMIT("POST", "/v1/jobs", "{\"type\":\"thumbnail\"}"),
        JOB_STATUS("GET", "/v1/jobs/{job}", null),
        JOB_LONG_POLL("GET", "/v1/jobs/{job}?wait=200ms", null),
        JOB_EVENTS("GET", "/v1/jobs/{job}/events", null),
        JOB_CANCEL("POST", "/v1/jobs/{job}/cancel", ""),
        WORKER_CLAIM("POST", "/v1/workers/claim?type=thumbnail&wait=0s", ""),
        WORKER_HEARTBEAT("POST", "/v1/jobs/{job}/heartbeat", "{\"lease\":\"bogus\"}"),
        WORKER_PROGRESS("POST", "/v1/jobs/{job}/progress", "{\"lease\":\"bogus\",\"percent\":5}"),
        WORKER_COMPLETE("POST", "/v1/jobs/{job}/complete", "{\"lease\":\"bogus\"}"),
        WORKER_FAIL("POST", "/v1/jobs/{job}/fail", "{\"lease\":\"bogus\",\"error\":\"x\"}");

        final String method;
        final String path;
        final String body;

        Endpoint(String method, String path, String body) {
            this.method = method;
            this.path = path;
            this.body = body;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("auth-http-");
        server = TestServer.start(Map.of("store", "memory", "auth", "jwt", "jwt-secret", Jwts.SECRET,
                "jwt-public-key", Jwts.pem(RSA.getPublic(), dir).toString(), "jwt-audience", "switchboard", "jwt-leeway", "0s"));
        http = HttpClient.newHttpClient();
        admin = Jwts.hs256(claims(600, AUD + "," + ALL));
        assertThat(send("POST", "/v1/topics/orders.eu/messages", "first", admin).statusCode()).isEqualTo(201);
        HttpResponse<String> submitted = send("POST", "/v1/jobs", "{\"type\":\"thumbnail\"}", admin);
        assertThat(submitted.statusCode()).isEqualTo(202);
        job = submitted.headers().firstValue("Location").orElseThrow().substring("/v1/jobs/".length());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void everyEndpointRefusesBadTokensAndServesGrantedOnes(Endpoint endpoint) throws Exception {
        for (Token token : Token.values()) {
            Answer a = call(endpoint, token.mint());
            String what = endpoint + " with " + token + ": " + a.status + " " + a.body;
            if (token.status == 0) {
                assertThat(a.status).as(what).isNotIn(401, 403).isLessThan(500);
                continue;
            }
            assertThat(a.status).as(what).isEqualTo(token.status);
            assertThat(a.contentType).as(what).isEqualTo("application/problem+json");
            assertThat(a.body).as(what).contains(token.status == 401 ? "\"code\":\"unauthorized\"" : "\"code\":\"forbidden\"");
            if (token.detail != null) {
                assertThat(a.body).as(what).contains(token.detail);
            }
            if (token == Token.NONE) {
                assertThat(a.challenge).as(what).isEqualTo("Bearer realm=\"switchboard\"");
            } else if (token.status == 401) {
                assertThat(a.challenge).as(what).startsWith("Bearer realm=\"switchboard\", error=\"invalid_token\", error_description=\"");
            }
        }
    }

    @Test
    void aRefusedCallChangesNothing() throws Exception {
        String own = send("POST", "/v1/jobs", "{\"type\":\"thumbnail\",\"run_at\":\"2099-01-01T00:00:00Z\"}", admin)
                .headers().firstValue("Location").orElseThrow();
        for (Token token : Token.values()) {
            if (token.status != 0) {
                assertThat(send("POST", "/v1/topics/orders.quiet/messages", "x", token.mint()).statusCode()).isIn(401, 403);
                assertThat(send("POST", own + "/cancel", "", token.mint()).statusCode()).isIn(401, 403);
                assertThat(send("POST", "/v1/topics/orders.quiet/groups/g/reset", "{\"to\":\"earliest\"}", token.mint()).statusCode())
                        .isIn(401, 403);
            }
        }
        assertThat(send("GET", "/v1/topics/orders.quiet", null, admin).statusCode()).isEqualTo(404); // never published to
        assertThat(send("GET", own, null, admin).body()).contains("\"status\":\"queued\"", "\"version\":1");
        assertThat(send("GET", "/v1/topics/orders.quiet/groups", null, admin).body()).doesNotContain("\"g\"");
    }

    @Test
    void aTokenForOneJobTypeCannotReachAJobOfAnotherById() throws Exception {
        String resize = Jwts.hs256(claims(60, AUD + "," + grants("{\"jobs\":[\"resize\"],\"work\":[\"resize\"]}")));
        HttpResponse<String> r = send("GET", "/v1/jobs/" + job, null, resize);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("jobs on job type 'thumbnail' refused");
    }

    @Test
    void aBatchWithOneLineOfATypeTheTokenMayNotUseIsRefusedWhole() throws Exception {
        String batchA = Jwts.hs256(claims(60, AUD + "," + grants("{\"jobs\":[\"batch.a\"],\"work\":[\"batch.a\"]}")));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/v1/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"batch.a\"}\n{\"type\":\"batch.b\"}\n"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + batchA).build();

        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"forbidden\"", "job type 'batch.b' refused");
        assertThat(send("POST", "/v1/workers/claim?type=batch.a&wait=0s", "", admin).statusCode()).as("nothing submitted").isEqualTo(204);
    }

    @Test
    void theTopicListShowsOnlyTopicsTheTokenMayRead() throws Exception {
        send("POST", "/v1/topics/other.list/messages", "x", admin);
        String orders = send("GET", "/v1/topics", null, Token.GRANTED.mint()).body();
        assertThat(orders).contains("\"orders.eu\"").doesNotContain("other.list");
        String others = send("GET", "/v1/topics", null, Token.LACKING_GRANT.mint()).body();
        assertThat(others).contains("\"other.list\"").doesNotContain("orders.eu");
        assertThat(send("GET", "/v1/topics", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void healthChecksTheDashboardPageAndLoopbackMetricsNeedNoToken() throws Exception {
        for (String path : new String[] {"/healthz", "/readyz", "/", "/metrics"}) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void streamsAlsoTakeTheTokenAsAQueryParameterButOtherEndpointsDoNot() throws Exception {
        String granted = Token.GRANTED.mint();
        Answer sse = call(Endpoint.SSE, null, "&access_token=" + granted);
        assertThat(sse.status).isEqualTo(200);
        Answer events = call(Endpoint.JOB_EVENTS, null, "?access_token=" + granted);
        assertThat(events.status).isEqualTo(200);
        assertThat(call(Endpoint.SSE, null, "&access_token=" + Token.EXPIRED.mint()).status).isEqualTo(401);

        Answer publish = call(Endpoint.PUBLISH, null, "?access_token=" + granted);
        assertThat(publish.status).isEqualTo(400);
        assertThat(publish.body).contains("access_token in the query is accepted only by SSE and WebSocket endpoints");
        assertThat(publish.challenge).contains("error=\"invalid_request\"");

        Answer both = call(Endpoint.SSE, granted, "&access_token=" + granted);
        assertThat(both.status).isEqualTo(400);
        assertThat(both.body).contains("carries 2 tokens");
    }

    @Test
    void sseStreamsEndWhenTheirTokenExpires() throws Exception {
        for (String path : new String[] {"/v1/topics/orders.eu/events?after=0", "/v1/jobs/" + job + "/events"}) {
            String shortLived = Jwts.hs256(claims(3, AUD + "," + ORDERS));
            HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Authorization", "Bearer " + shortLived).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            try (var lines = r.body()) {
                java.util.List<String> all = lines.toList(); // ends when the server ends the stream
                int close = all.indexOf("event: close");
                assertThat(close).as(path + ": " + all).isNotNegative();
                assertThat(all.get(close + 1)).isEqualTo("data: {\"reason\":\"token expired\"}");
            }
        }
    }

    @Test
    void anotherSchemeThanBearerIsNoToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/orders.eu/messages?after=0"))
                .header("Authorization", "Basic dXNlcjpwYXNz").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("uses the 'Basic' scheme");
    }

    private record Answer(int status, String contentType, String challenge, String body) {}

    private static Answer call(Endpoint e, String token) throws Exception {
        return call(e, token, "");
    }

    /** Streams (SSE) answer with their status and are then hung up on; everything else is read whole. */
    private static Answer call(Endpoint e, String token, String query) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + e.path.replace("{job}", job) + query))
                .timeout(Duration.ofSeconds(10))
                .method(e.method, e.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(e.body));
        if (e.body != null && e.body.startsWith("{")) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        String type = r.headers().firstValue("content-type").orElse("");
        String body;
        try (InputStream in = r.body()) {
            body = type.startsWith("text/event-stream") ? "(stream)" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Answer(r.statusCode(), type, r.headers().firstValue("www-authenticate").orElse(null), body);
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && body.startsWith("{")) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
