package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.CeilingBench;
import dev.switchboard.bench.PatternsBench;
import dev.switchboard.bench.result.ResultFiles;
import dev.switchboard.bench.server.ServerSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The report as a reader sees it: two short scenarios run, their report is built and opened from a
 * file in headless Chromium (no network), and its SVG charts must have rendered — visible charts and
 * bars with real sizes, the expected bars and labels. A screenshot is left in target/ for a look.
 */
class ReportInBrowserTest {
    @TempDir
    Path results;

    @Test
    void theReportOpensOfflineAndDrawsEveryChartWithItsBarsAndLabels() throws Exception {
        ResultFiles.write(results, new PatternsBench(null, 5, 50, 1, 100, "async", List.of("sse", "ws"), 0, 1).run(ServerSource.children()));
        ResultFiles.write(results, new CeilingBench(List.of("sse", "ws"), List.of(10), 0, 1).run(ServerSource.children()));
        Path report = results.resolve("report.html");
        HtmlReport.write(results, report);
        String html = Files.readString(report);
        assertThat(html).as("self-contained").doesNotContain("<script", "src=", "href=", "@import", "url(");

        ChromeDriver browser = Chromium.start();
        try {
            browser.manage().window().setSize(new Dimension(1000, 2600));
            browser.get(report.toUri().toString());

            List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart"));
            assertThat(charts).as("patterns: latency, requests, bytes, CPU; ceiling: one").hasSize(5);
            for (WebElement chart : charts) {
                assertThat(chart.getRect().getWidth()).isPositive();
                assertThat(chart.getRect().getHeight()).isPositive();
            }
            List<WebElement> latencyBars = charts.get(0).findElements(By.cssSelector("rect.bar"));
            assertThat(latencyBars).as("two patterns × p50, p90, p99").hasSize(6);
            for (WebElement bar : latencyBars) {
                assertThat(bar.getRect().getHeight()).as("bar %s", bar.getAttribute("data-category")).isPositive();
                assertThat(bar.getRect().getWidth()).isPositive();
            }
            assertThat(charts.get(0).findElements(By.cssSelector("text.category"))).extracting(WebElement::getText).containsExactly("sse", "ws");
            assertThat(charts.get(0).findElements(By.cssSelector("text.legend"))).extracting(WebElement::getText)
                    .containsExactly("p50", "p90", "p99");
            assertThat(charts.get(4).findElements(By.cssSelector("rect.bar"))).extracting(b -> b.getAttribute("data-series"))
                    .containsExactly("sse", "ws");

            Path shot = Path.of("target", "report-in-chromium.png");
            Files.createDirectories(shot.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(shot)).isPositive();
        } finally {
            browser.quit();
        }
    }
}
