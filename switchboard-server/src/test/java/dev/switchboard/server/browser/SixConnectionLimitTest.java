package dev.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Why HTTP/2 matters for Server-Sent Events in a browser: over HTTP/1.1 a browser keeps at most six
 * connections per host, and each EventSource holds one for good, so the seventh stream never opens.
 * Over HTTP/2 every EventSource is a stream on one connection: twenty open at once.
 */
class SixConnectionLimitTest {
    private static final int SOURCES = 20;
    private static final int HTTP1_CONNECTIONS_PER_HOST = 6;
    private static final Pattern SSE_SESSIONS = Pattern.compile("(?m)^switchboard_sessions\\{transport=\"sse\"} (\\S+)$");
    private static final String OPEN_SOURCES = """
            window.opened = 0; window.received = {};
            for (let i = 0; i < %d; i++) {
              const es = new EventSource('/v1/topics/six-' + i + '/events');
              es.onopen = () => { window.opened++; };
              es.onmessage = e => { window.received[i] = e.data; };
            }
            """.formatted(SOURCES);

    private static ChromeDriver browser;
    private TestServer server;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start("--ignore-certificate-errors");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void stopServer() {
        browser.get("about:blank"); // closes the page's EventSources
        if (server != null) {
            server.close();
        }
    }

    @Test
    void overHttpsAndHttp2TwentyEventSourcesOpenAtOnceAndAllReceive() throws Exception {
        server = TestServer.start(Map.of("store", "memory", "tls-self-signed", "true"));
        HttpClient http = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
        browser.get(server.url() + "/");
        JavascriptExecutor js = browser;
        assertThat(js.executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol")).isEqualTo("h2");
        js.executeScript(OPEN_SOURCES);

        await().atMost(Duration.ofSeconds(20)).until(() -> opened(js) == SOURCES && sseSessions(http) == SOURCES);
        publishToEveryTopic(http);
        await().atMost(Duration.ofSeconds(20)).until(() -> received(js).size() == SOURCES);
    }

    @Test
    void overPlainHttp11OnlySixEventSourcesOpenAndTheOtherFourteenWait() throws Exception {
        server = TestServer.start(Map.of("store", "memory"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        browser.get(server.url() + "/");
        JavascriptExecutor js = browser;
        assertThat(js.executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol")).isEqualTo("http/1.1");
        js.executeScript(OPEN_SOURCES);

        await().atMost(Duration.ofSeconds(20)).until(() -> opened(js) == HTTP1_CONNECTIONS_PER_HOST);
        // The six hold their connections; the fourteen others stay queued in the browser, never reaching the server.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> opened(js) == HTTP1_CONNECTIONS_PER_HOST && sseSessions(http) == HTTP1_CONNECTIONS_PER_HOST);
        publishToEveryTopic(http);
        await().atMost(Duration.ofSeconds(20)).until(() -> received(js).size() == HTTP1_CONNECTIONS_PER_HOST);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> received(js).size() == HTTP1_CONNECTIONS_PER_HOST && opened(js) == HTTP1_CONNECTIONS_PER_HOST);
    }

    private void publishToEveryTopic(HttpClient http) throws Exception {
        for (int i = 0; i < SOURCES; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/six-" + i + "/messages"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(201);
        }
    }

    private static long opened(JavascriptExecutor js) {
        return (Long) js.executeScript("return window.opened");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> received(JavascriptExecutor js) {
        return (Map<String, Object>) js.executeScript("return window.received");
    }

    private int sseSessions(HttpClient http) throws Exception {
        String scrape = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = SSE_SESSIONS.matcher(scrape);
        assertThat(m.find()).isTrue();
        return (int) Double.parseDouble(m.group(1));
    }
}
