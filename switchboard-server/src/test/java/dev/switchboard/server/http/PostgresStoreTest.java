package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * store=postgres end to end on the machine's real PostgreSQL (database {@code test}, the default schema),
 * with a topic name no other run uses, deleted afterwards. Fails, never skips, when PostgreSQL is down.
 */
class PostgresStoreTest {
    private static final String URL = "postgresql://postgres@127.0.0.1:5432/test";
    private final String topic = "it-" + UUID.randomUUID();

    @AfterEach
    void deleteTopic() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=switchboard")) {
            if (!defaultSchemaExists(c)) {
                return; // a fresh database where only a test with its own schema has run: nothing of ours here
            }
            for (String sql : new String[] {
                "DELETE FROM messages WHERE topic_id IN (SELECT id FROM topics WHERE name = ?)",
                "DELETE FROM idempotency_keys WHERE topic_id IN (SELECT id FROM topics WHERE name = ?)",
                "DELETE FROM topics WHERE name = ?"}) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, topic);
                    s.executeUpdate();
                }
            }
        }
    }

    @Test
    void serverOnThePostgresStorePublishesAndReadsBackAfterARestart() {
        try (TestServer server = TestServer.start(Map.of("store", "postgres", "postgres-url", URL))) {
            ApiClient api = new ApiClient(server.url());
            assertThat(api.publishJson(topic, "{\"n\":1}")).isEqualTo(1);
            assertThat(api.publishJson(topic, "{\"n\":2}")).isEqualTo(2);
        }
        try (TestServer server = TestServer.start(Map.of("store", "postgres", "postgres-url", URL))) {
            JsonNode page = new ApiClient(server.url()).read(topic, "after=0");

            assertThat(page.get("messages")).extracting(m -> m.get("data").get("n").asInt()).containsExactly(1, 2);
        }
    }

    @Test
    void messagePublishedOnOneNodeEndsALongPollOnAnotherNode() throws Exception {
        try (TestServer a = TestServer.start(Map.of("store", "postgres", "postgres-url", URL));
             TestServer b = TestServer.start(Map.of("store", "postgres", "postgres-url", URL))) {
            ApiClient onA = new ApiClient(a.url());
            ApiClient onB = new ApiClient(b.url());
            onA.publishJson(topic, "{\"n\":1}");
            CompletableFuture<HttpResponse<String>> poll = onB.getAsync(ApiClient.messages(topic) + "?after=1&wait=20s");
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.longPollers(topic) == 1);

            onA.publishJson(topic, "{\"n\":2}");

            JsonNode page = ApiClient.json(poll.get(15, TimeUnit.SECONDS));
            assertThat(page.get("messages")).extracting(m -> m.get("offset").asLong()).containsExactly(2L);
        }
    }

    @Test
    void metricsReportThePoolsConnectionsAndWaits() {
        try (TestServer server = TestServer.start(Map.of("store", "postgres", "postgres-url", URL))) {
            ApiClient api = new ApiClient(server.url());
            api.publishJson(topic, "{}");

            String metrics = api.get("/metrics").body();

            assertThat(metrics).contains("switchboard_store_pool_connections{state=\"active\"}",
                    "switchboard_store_pool_connections{state=\"idle\"}", "switchboard_store_pool_connections{state=\"pending\"}",
                    "switchboard_store_pool_exhausted_total 0.0");
            assertThat(metrics).containsPattern("switchboard_store_pool_acquire_seconds_count [1-9]");
        }
    }

    @Test
    void poolSizeAndSchemaComeFromTheSettings() throws SQLException {
        String schema = "sb_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres")) {
            try (TestServer server = TestServer.start(Map.of("store", "postgres", "postgres-url", URL, "postgres-pool-size", "3",
                    "postgres-schema", schema))) {
                ApiClient api = new ApiClient(server.url());
                assertThat(api.publishJson(topic, "{\"n\":1}")).isEqualTo(1);

                try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + schema + ".topics WHERE name = ?")) {
                    q.setString(1, topic);
                    var rs = q.executeQuery();
                    rs.next();
                    assertThat(rs.getInt(1)).as("the topic lives in the configured schema").isEqualTo(1);
                }
                // HikariCP opens the connections beyond the first in the background
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String metrics = api.get("/metrics").body();
                    assertThat(gauge(metrics, "active") + gauge(metrics, "idle")).as("connections the pool keeps").isEqualTo(3.0);
                });
            } finally {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static boolean defaultSchemaExists(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT to_regclass('switchboard.messages') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static double gauge(String metrics, String state) {
        String line = metrics.lines().filter(l -> l.startsWith("switchboard_store_pool_connections{state=\"" + state + "\"}"))
                .findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
