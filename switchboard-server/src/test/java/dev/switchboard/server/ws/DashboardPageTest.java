package dev.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The dashboard at {@code /} in headless Chromium: watch a topic by SSE and by WebSocket, publish from the page. */
class DashboardPageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void dashboardWatchesATopicOverBothTransportsAndPublishesToIt() throws Exception {
        try (TestServer server = TestServer.start(Map.of("store", "memory"))) {
            ChromeDriver browser = chromium();
            try {
                browser.get(server.url() + "/");
                browser.findElement(By.id("topic")).clear();
                browser.findElement(By.id("topic")).sendKeys("dash");
                browser.findElement(By.id("watch-sse")).click();
                browser.findElement(By.id("watch-ws")).click();
                await().atMost(WAIT).until(() -> "open".equals(browser.findElement(By.id("sse-status")).getAttribute("data-state"))
                        && "open".equals(browser.findElement(By.id("ws-status")).getAttribute("data-state")));

                for (String text : List.of("hello", "{\"n\":2}")) {
                    browser.findElement(By.id("message")).clear();
                    browser.findElement(By.id("message")).sendKeys(text);
                    browser.findElement(By.id("publish")).click();
                    String offset = text.equals("hello") ? "1" : "2";
                    await().atMost(WAIT).until(() -> offset.equals(browser.findElement(By.id("publish-status")).getAttribute("data-offset")));
                }

                await().atMost(WAIT).until(() -> items(browser, "sse-messages").size() == 2 && items(browser, "ws-messages").size() == 2);
                for (String list : List.of("sse-messages", "ws-messages")) {
                    List<WebElement> li = items(browser, list);
                    assertThat(li).extracting(e -> e.getAttribute("data-offset")).containsExactly("1", "2");
                    assertThat(li.get(0).getText()).endsWith("hello");
                    assertThat(li.get(1).getText()).endsWith("{\"n\":2}");
                }
            } finally {
                browser.quit();
            }
        }
    }

    private static List<WebElement> items(ChromeDriver browser, String list) {
        return browser.findElements(By.cssSelector("#" + list + " li[data-offset]"));
    }

    /** Debian's chromium and chromedriver, paths given so Selenium never downloads anything. */
    private static ChromeDriver chromium() throws Exception {
        for (String path : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
            if (!Files.isExecutable(Path.of(path))) {
                throw new IllegalStateException(path + " is missing: apt-get install chromium chromium-driver");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile-"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), options);
    }
}
