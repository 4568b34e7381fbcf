package dev.switchboard.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.sidecar.cache.CacheSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response cache and request collapsing, each rule against an app that counts what reaches it. */
class CacheTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream app;
    private Sidecar sidecar;

    @BeforeEach
    void startApp() throws Exception {
        app = TestUpstream.start();
    }

    private void start(CacheSettings cache) throws Exception {
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withCache(cache).withPorts(0, 0));
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.shutdown();
        }
        app.close();
    }

    /** The app answers {@code path} with {@code body} and the given header pairs. */
    private void answer(String path, String body, String... headers) {
        app.route(path, x -> {
            for (int i = 0; i < headers.length; i += 2) {
                x.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            TestUpstream.send(x, 200, "text/plain", body);
        });
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(sidecar.url() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sidecar.controlUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aFreshResponseIsServedFromTheCacheWithItsAgeUntilItExpires() throws Exception {
        start(CacheSettings.DEFAULTS);
        answer("/fresh", "fresh body", "Cache-Control", "max-age=1");
        var first = get("/fresh");
        assertThat(first.headers().firstValue("x-cache")).hasValue("MISS");
        var second = get("/fresh");
        assertThat(second.body()).isEqualTo("fresh body");
        assertThat(second.headers().firstValue("x-cache")).hasValue("HIT");
        assertThat(second.headers().firstValue("age")).hasValueSatisfying(age -> assertThat(Integer.parseInt(age)).isBetween(0, 1));
        assertThat(app.count("/fresh")).isEqualTo(1);
        // Past max-age it is fetched again.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/fresh").headers().firstValue("x-cache").orElseThrow().equals("MISS"));
        assertThat(app.count("/fresh")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics()).contains("switchboard_sidecar_cache_total{outcome=\"hit\"}", "switchboard_sidecar_cache_total{outcome=\"miss\"}"));
    }

    @Test
    void sMaxAgeWinsOverMaxAgeForASharedCache() throws Exception {
        start(CacheSettings.DEFAULTS);
        answer("/shared", "shared", "Cache-Control", "max-age=0, s-maxage=60");
        get("/shared");
        assertThat(get("/shared").headers().firstValue("x-cache")).hasValue("HIT");
        assertThat(app.count("/shared")).isEqualTo(1);
    }

    @Test
    void noStorePrivateAndNoCacheWithoutValidatorAreNeverServedFromTheCache() throws Exception {
        start(CacheSettings.DEFAULTS);
        answer("/no-store", "x", "Cache-Control", "no-store, max-age=60");
        answer("/private", "x", "Cache-Control", "private, max-age=60");
        answer("/no-cache", "x", "Cache-Control", "no-cache, max-age=60");
        answer("/cookie", "x", "Cache-Control", "max-age=60", "Set-Cookie", "session=alice");
        answer("/plain", "x");
        for (String path : List.of("/no-store", "/private", "/no-cache", "/cookie", "/plain")) {
            get(path);
            assertThat(get(path).headers().firstValue("x-cache")).as(path).hasValue("MISS");
            assertThat(app.count(path)).as(path).isEqualTo(2);
        }
    }

    @Test
    void aRequestWithAuthorizationIsStoredOnlyWhenTheResponseIsPublicOrHasSMaxAge() throws Exception {
        start(CacheSettings.DEFAULTS);
        answer("/mine", "mine", "Cache-Control", "max-age=60");
        answer("/public", "public", "Cache-Control", "public, max-age=60");
        answer("/s-maxage", "s", "Cache-Control", "s-maxage=60");
        for (String path : List.of("/mine", "/public", "/s-maxage")) {
            get(path, "Authorization", "Bearer alice");
            get(path, "Authorization", "Bearer alice");
        }
        assertThat(app.count("/mine")).isEqualTo(2);
        assertThat(app.count("/public")).isEqualTo(1);
        assertThat(app.count("/s-maxage")).isEqualTo(1);
    }

    @Test
    void aStaleEntryIsRevalidatedWithItsETagAndA304RefreshesIt() throws Exception {
        start(CacheSettings.DEFAULTS);
        AtomicInteger notModified = new AtomicInteger();
        app.route("/etag", x -> {
            x.getResponseHeaders().set("ETag", "\"v1\"");
            x.getResponseHeaders().set("Cache-Control", "no-cache");
            if ("\"v1\"".equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                x.sendResponseHeaders(304, -1);
                return;
            }
            TestUpstream.send(x, 200, "text/plain", "version one");
        });
        assertThat(get("/etag").body()).isEqualTo("version one");
        var revalidated = get("/etag");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo("version one");
        assertThat(revalidated.headers().firstValue("x-cache")).hasValue("REVALIDATED");
        assertThat(notModified.get()).isEqualTo(1);
        // A client's own If-None-Match is answered 304 from the revalidated entry.
        var conditional = get("/etag", "If-None-Match", "\"v1\"");
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(conditional.headers().firstValue("etag")).hasValue("\"v1\"");
        assertThat(notModified.get()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics()).contains("switchboard_sidecar_cache_total{outcome=\"revalidated\"} 2.0"));
    }

    @Test
    void aStaleEntryIsRevalidatedWithLastModifiedAndReplacedWhenChanged() throws Exception {
        start(CacheSettings.DEFAULTS);
        String lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
        AtomicInteger version = new AtomicInteger(1);
        app.route("/dated", x -> {
            x.getResponseHeaders().set("Cache-Control", "max-age=0");
            boolean current = lastModified.equals(x.getRequestHeaders().getFirst("If-Modified-Since")) && version.get() == 1;
            x.getResponseHeaders().set("Last-Modified", version.get() == 1 ? lastModified : "Thu, 22 Oct 2015 07:28:00 GMT");
            if (current) {
                x.sendResponseHeaders(304, -1);
                return;
            }
            TestUpstream.send(x, 200, "text/plain", "version " + version.get());
        });
        get("/dated");
        assertThat(get("/dated").headers().firstValue("x-cache")).hasValue("REVALIDATED");
        version.set(2);
        var changed = get("/dated");
        assertThat(changed.body()).isEqualTo("version 2");
        assertThat(changed.headers().firstValue("x-cache")).hasValue("MISS");
        assertThat(app.seen.getLast().headers().getFirst("If-Modified-Since")).isEqualTo(lastModified);
    }

    @Test
    void aClientConditionalRequestIsAnswered304FromAFreshEntry() throws Exception {
        start(CacheSettings.DEFAULTS);
        answer("/tagged", "tagged", "Cache-Control", "max-age=60", "ETag", "W/\"abc\"",
                "Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
        get("/tagged");
        var byTag = get("/tagged", "If-None-Match", "\"other\", \"abc\"");
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        var byDate = get("/tagged", "If-Modified-Since", "Thu, 22 Oct 2015 07:28:00 GMT");
        assertThat(byDate.statusCode()).isEqualTo(304);
        var older = get("/tagged", "If-Modified-Since", "Tue, 20 Oct 2015 07:28:00 GMT");
        assertThat(older.statusCode()).isEqualTo(200);
        assertThat(older.body()).isEqualTo("tagged");
        assertThat(app.count("/tagged")).isEqualTo(1);
    }

    @Test
    void varyKeepsOneEntryPerVariantAndVaryStarIsNotStored() throws Exception {
        start(CacheSettings.DEFAULTS);
        app.route("/greeting", x -> {
            x.getResponseHeaders().set("Cache-Control", "max-age=60");
            x.getResponseHeaders().set("Vary", "Accept-Language");
            TestUpstream.send(x, 200, "text/plain", "fr".equals(x.getRequestHeaders().getFirst("Accept-Language")) ? "bonjour" : "hello");
        });
        answer("/star", "star", "Cache-Control", "max-age=60", "Vary", "*");
        assertThat(get("/greeting", "Accept-Language", "en").body()).isEqualTo("hello");
        assertThat(get("/greeting", "Accept-Language", "fr").body()).isEqualTo("bonjour");
        var en = get("/greeting", "Accept-Language", "en");
        var fr = get("/greeting", "Accept-Language", "fr");
        assertThat(en.body()).isEqualTo("hello");
        assertThat(fr.body()).isEqualTo("bonjour");
        assertThat(List.of(en, fr)).allSatisfy(r -> assertThat(r.headers().firstValue("x-cache")).hasValue("HIT"));
        assertThat(app.count("/greeting")).isEqualTo(2);
        get("/star");
        get("/star");
        assertThat(app.count("/star")).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedEntriesAreEvictedToStayWithinTheByteBudget() throws Exception {
        start(new CacheSettings(64 * 1024, 16 * 1024));
        String tenKiB = "x".repeat(10 * 1024);
        for (int i = 0; i < 10; i++) {
            answer("/page" + i, tenKiB, "Cache-Control", "max-age=60");
            get("/page" + i);
            get("/page0"); // keeps page0 the most recently used
        }
        assertThat(sidecar.cache().byteCount()).isLessThanOrEqualTo(64 * 1024);
        assertThat(get("/page0").headers().firstValue("x-cache")).hasValue("HIT");
        assertThat(get("/page9").headers().firstValue("x-cache")).hasValue("HIT");
        assertThat(get("/page1").headers().firstValue("x-cache")).hasValue("MISS");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics()).containsPattern("switchboard_sidecar_cache_total\\{outcome=\"evicted\"} [1-9]"));
    }

    @Test
    void aBodyOverTheEntryLimitStreamsThroughWholeAndIsNotStored() throws Exception {
        start(new CacheSettings(1 << 20, 64 * 1024));
        byte[] chunk = new byte[16 * 1024];
        app.route("/large", x -> {
            x.getResponseHeaders().set("Cache-Control", "max-age=60");
            x.sendResponseHeaders(200, 0); // chunked: the size shows only as it streams
            try (var out = x.getResponseBody()) {
                for (int i = 0; i < 32; i++) {
                    out.write(chunk);
                }
            }
        });
        var first = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/large")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.body()).hasSize(512 * 1024);
        var second = http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/large")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(second.body()).hasSize(512 * 1024);
        assertThat(app.count("/large")).isEqualTo(2);
        assertThat(sidecar.cache().entryCount()).isZero();
    }

    @Test
    void aSuccessfulPostDropsTheCachedResponseOfItsUrl() throws Exception {
        start(CacheSettings.DEFAULTS);
        answer("/item", "item", "Cache-Control", "max-age=60");
        get("/item");
        http.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/item")).POST(HttpRequest.BodyPublishers.ofString("new")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get("/item").headers().firstValue("x-cache")).hasValue("MISS");
        assertThat(app.count("/item")).isEqualTo(3);
    }

    @Test
    void identicalConcurrentGetsAreCollapsedIntoOneUpstreamRequest() throws Exception {
        start(CacheSettings.DEFAULTS);
        CountDownLatch gate = new CountDownLatch(1);
        app.route("/popular", x -> {
            waitFor(gate);
            x.getResponseHeaders().set("Cache-Control", "max-age=60");
            TestUpstream.send(x, 200, "text/plain", "popular");
        });
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/popular")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.cache().waiting() == 19 && app.inFlight.get() == 1);
        gate.countDown();
        for (var call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).body()).isEqualTo("popular");
        }
        assertThat(app.count("/popular")).isEqualTo(1);
        assertThat(sidecar.cache().waiting()).isZero();
    }

    @Test
    void collapsedRequestsGoUpstreamThemselvesWhenTheResponseIsNotStorable() throws Exception {
        start(CacheSettings.DEFAULTS);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger n = new AtomicInteger();
        app.route("/personal", x -> {
            waitFor(gate);
            TestUpstream.send(x, 200, "text/plain", "for you #" + n.incrementAndGet());
        });
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/personal")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.cache().waiting() == 4);
        gate.countDown();
        List<String> bodies = new ArrayList<>();
        for (var call : calls) {
            bodies.add(call.get(10, TimeUnit.SECONDS).body());
        }
        assertThat(bodies).doesNotHaveDuplicates(); // each got its own answer from the app
        assertThat(app.count("/personal")).isEqualTo(5);
    }

    @Test
    void http2StreamsAreServedFromTheCacheAndCollapsedLikeConnections() throws Exception {
        start(CacheSettings.DEFAULTS);
        CountDownLatch gate = new CountDownLatch(1);
        app.route("/h2", x -> {
            waitFor(gate);
            x.getResponseHeaders().set("Cache-Control", "max-age=60");
            TestUpstream.send(x, 200, "text/plain", "over h2c");
        });
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        h2.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/warm-up")).build(), HttpResponse.BodyHandlers.discarding());
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // streams of one connection
            calls.add(h2.sendAsync(HttpRequest.newBuilder(URI.create(sidecar.url() + "/h2")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.cache().waiting() == 9);
        gate.countDown();
        for (var call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).body()).isEqualTo("over h2c");
            assertThat(call.get().version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
        var hit = h2.send(HttpRequest.newBuilder(URI.create(sidecar.url() + "/h2")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hit.headers().firstValue("x-cache")).hasValue("HIT");
        assertThat(hit.body()).isEqualTo("over h2c");
        assertThat(app.count("/h2")).isEqualTo(1);
    }

    @Test
    void withCachingOffEveryRequestReachesTheApp() throws Exception {
        start(CacheSettings.OFF);
        answer("/fresh", "fresh", "Cache-Control", "max-age=60");
        get("/fresh");
        var second = get("/fresh");
        assertThat(second.headers().firstValue("x-cache")).isEmpty();
        assertThat(app.count("/fresh")).isEqualTo(2);
        assertThat(sidecar.cache()).isNull();
    }

    private static void waitFor(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
