package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SwitchboardClientTest {
    static RealServer server;
    static SwitchboardClient client;

    @BeforeAll
    static void start() {
        server = RealServer.memory();
        client = SwitchboardClient.builder(server.url()).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void jsonTextAndBytesComeBackAsPublished() {
        PublishResult first = client.publishJson("kinds", "{\"id\":42}");
        client.publishText("kinds", "hello\nworld");
        client.publish("kinds", new byte[] {(byte) 0x89, 0, (byte) 0xff}, "image/png", Durability.ASYNC);

        Page page = client.read("kinds", 0L, 10);

        assertThat(first.offset()).isEqualTo(1);
        assertThat(first.time()).isNotNull();
        assertThat(page.messages()).extracting(Message::offset).containsExactly(1L, 2L, 3L);
        assertThat(page.messages().get(0).data().path("id").asInt()).isEqualTo(42);
        assertThat(page.messages().get(1).text()).isEqualTo("hello\nworld");
        assertThat(page.messages().get(2).contentType()).isEqualTo("image/png");
        assertThat(page.messages().get(2).bytes()).containsExactly((byte) 0x89, 0, (byte) 0xff);
        assertThat(page.next()).isEqualTo(3);
        assertThat(page.epoch()).isNotBlank();
    }

    @Test
    void aBatchIsAppendedAsConsecutiveOffsets() {
        BatchResult batch = client.publishBatch("batch", List.of("{\"n\":1}", "{\n \"n\": 2\n}", "\"three\""), Durability.SYNC);

        assertThat(batch.first()).isEqualTo(1);
        assertThat(batch.last()).isEqualTo(3);
        assertThat(batch.count()).isEqualTo(3);
        assertThat(client.read("batch", 0L, 10).messages()).extracting(Message::text)
                .containsExactly("{\"n\":1}", "{\"n\":2}", "three");
    }

    @Test
    void theAsyncFacesCompleteWithTheSameResults() {
        CompletableFuture<PublishResult> published = client.publishTextAsync("async", "hi");
        long offset = published.join().offset();

        Page page = client.readAsync("async", offset - 1, 1).join();

        assertThat(page.messages()).singleElement().extracting(Message::text).isEqualTo("hi");
    }

    @Test
    void aLongPollIsAnsweredByTheNextPublish() {
        client.publishText("held", "before");
        CompletableFuture<Page> held = client.readAsync("held", 1L, 10, Duration.ofSeconds(20), null);

        client.publishText("held", "after");

        assertThat(held.join().messages()).extracting(Message::text).containsExactly("after");
    }

    @Test
    void aLongPollThatTimesOutAnswersAnEmptyPageAtTheSamePosition() {
        client.publishText("quiet", "only");

        Page page = client.read("quiet", 1L, 10, Duration.ofMillis(200));

        assertThat(page.messages()).isEmpty();
        assertThat(page.next()).isEqualTo(1);
    }

    @Test
    void refusalsCarryTheProblemFields() {
        assertThatThrownBy(() -> client.publishText("_reserved", "x"))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("bad-topic");
                    assertThat(e.detail()).contains("_reserved");
                    assertThat(e.retryable()).isFalse();
                });
        client.publishText("short", "one");
        assertThatThrownBy(() -> client.read("short", 99L, 10))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.isCannotResume()).isTrue();
                });
        assertThatThrownBy(() -> client.publishJson("json", "{not json"))
                .isInstanceOfSatisfying(SwitchboardClientException.class, e -> assertThat(e.code()).isEqualTo("malformed-json"));
    }

    @Test
    void theAsyncFaceFailsItsFutureWithTheProblem() {
        CompletableFuture<PublishResult> refused = client.publishAsync("_x", "x".getBytes(StandardCharsets.UTF_8), "text/plain", Durability.SYNC);

        assertThat(refused).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingRootCause().isInstanceOf(SwitchboardClientException.class);
    }

    @Test
    void aServerThatIsNotThereIsARetryableTransportError() {
        try (SwitchboardClient nowhere = SwitchboardClient.builder("http://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> nowhere.topics())
                    .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.code()).isEqualTo(SwitchboardClientException.TRANSPORT);
                        assertThat(e.retryable()).isTrue();
                    });
        }
    }

    @Test
    void topicsListsWhatWasPublished() {
        client.publishText("listed", "x");

        assertThat(client.topics()).extracting(TopicSummary::topic).contains("listed");
    }
}
