package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The token supplier against a server that checks tokens (auth=jwt): its token is accepted, a client without
 * one is told 401, and a subscription whose short-lived token expires is ended by the server and carries on
 * with a fresh token from the supplier, missing nothing.
 */
class BearerTokenServerTest {
    private static final String SECRET = "client-test-secret-of-more-than-32-bytes";
    private static final Map<String, String> AUTH = Map.of("auth", "jwt", "jwt-secret", SECRET, "jwt-leeway", "0s");
    private static final String ALL = "{\"publish\":[\"*\"],\"subscribe\":[\"*\"],\"consume\":[\"*\"],\"jobs\":[\"*\"],\"work\":[\"*\"]}";

    @Test
    void theSuppliersTokenIsAcceptedAndNoTokenIsRefusedWith401() {
        try (RealServer server = RealServer.memory(AUTH);
             SwitchboardClient granted = SwitchboardClient.builder(server.url()).bearerToken(() -> token(60, ALL)).build();
             SwitchboardClient anonymous = SwitchboardClient.builder(server.url()).build();
             SwitchboardClient narrow = SwitchboardClient.builder(server.url())
                     .bearerToken(() -> token(60, "{\"publish\":[\"orders.*\"]}")).build()) {

            assertThat(granted.publishText("orders.eu", "one").offset()).isEqualTo(1);
            assertThat(narrow.publishText("orders.us", "two").offset()).isEqualTo(1);

            assertThatThrownBy(() -> anonymous.publishText("orders.eu", "x"))
                    .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.code()).isEqualTo("unauthorized");
                    });
            assertThatThrownBy(() -> narrow.publishText("payments", "x"))
                    .isInstanceOfSatisfying(SwitchboardClientException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.code()).isEqualTo("forbidden");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET", "LONG_POLL"})
    void aSubscriptionOutlivesItsShortLivedTokensBecauseTheSupplierIsAskedAgain(Transport transport) throws Exception {
        try (RealServer server = RealServer.memory(AUTH);
             SwitchboardClient publisher = SwitchboardClient.builder(server.url()).bearerToken(() -> token(60, ALL)).build()) {
            AtomicInteger asked = new AtomicInteger();
            Supplier<String> shortLived = () -> {
                asked.incrementAndGet();
                return token(2, "{\"subscribe\":[\"refresh\"]}");
            };
            try (SwitchboardClient subscriber = SwitchboardClient.builder(server.url()).bearerToken(shortLived).build()) {
                Recorder recorder = new Recorder();
                subscriber.subscribe("refresh", SubscriptionTest.options(transport).after(0), recorder);
                Instant until = Instant.now().plusSeconds(5); // past two token lifetimes
                int sent = 0;
                while (Instant.now().isBefore(until)) {
                    publisher.publishText("refresh", "m" + (++sent));
                    Thread.sleep(100);
                }
                int total = sent;
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.messages.size() >= total);
                assertThat(recorder.messages).extracting(Message::offset)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
                assertThat(recorder.ends).isEmpty();
                assertThat(asked.get()).as("tokens asked for").isGreaterThanOrEqualTo(2);
            }
        }
    }

    /** An HS256 token with {@code exp} in {@code seconds} and the given grants. */
    static String token(long seconds, String grants) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"sub\":\"client-test\",\"exp\":" + (Instant.now().getEpochSecond() + seconds) + ",\"switchboard\":" + grants + "}";
        String input = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
