package dev.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real browser, unchanged: its own {@code EventSource} and {@code WebSocket}, on a page served by the
 * server, receive what the JDK client publishes — old messages first (resume from offset 0), then live
 * ones, in order.
 */
class BrowserDeliveryTest {
    private static TestServer server;
    private static ChromeDriver browser;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of());
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eventSourceAndWebSocketInTheBrowserReceiveEveryMessageInOrder() throws Exception {
        publish("browser", "{\"n\":1}");
        publish("browser", "{\"n\":2}");
        browser.get(server.url() + "/");
        JavascriptExecutor js = browser;
        js.executeScript("""
                window.sse = []; window.ws = [];
                const es = new EventSource('/v1/topics/browser/events?after=0');
                es.onmessage = e => window.sse.push(e.lastEventId + ' ' + e.data);
                const ws = new WebSocket('ws://' + location.host + '/v1/ws');
                ws.onopen = () => ws.send(JSON.stringify({op: 'subscribe', topic: 'browser', after: 0}));
                ws.onmessage = e => { const f = JSON.parse(e.data); if (f.type === 'message') window.ws.push(f.offset + ' ' + JSON.stringify(f.data)); };
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> size(js, "sse") == 2 && size(js, "ws") == 2);
        publish("browser", "{\"n\":3}");
        publish("browser", "{\"n\":4}");
        await().atMost(Duration.ofSeconds(20)).until(() -> size(js, "sse") == 4 && size(js, "ws") == 4);

        List<String> expected = List.of("1 {\"n\":1}", "2 {\"n\":2}", "3 {\"n\":3}", "4 {\"n\":4}");
        assertThat(js.executeScript("return window.sse")).isEqualTo(expected);
        assertThat(js.executeScript("return window.ws")).isEqualTo(expected);
    }

    private static long size(JavascriptExecutor js, String array) {
        return (Long) js.executeScript("return window." + array + ".length");
    }

    private void publish(String topic, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/" + topic + "/messages"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
    }
}
