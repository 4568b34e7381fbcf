package dev.switchboard.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.Target;
import dev.switchboard.core.config.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's event-loop HTTP client against a real server, and against one that hangs up. */
class RequestChainTest {
    @TempDir
    static Path data;
    private static SwitchboardServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SwitchboardServer.start(ServerConfig.defaults(0, data));
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    /** Publishes {@code count} messages, one request after the answer to the last, each due {@code intervalNanos} after the last was due. */
    private static final class Publishes implements RequestChain.Conversation {
        private final Target target;
        private final int count;
        private final long intervalNanos;
        private final List<Integer> statuses = new ArrayList<>();
        private long due = System.nanoTime();

        Publishes(Target target, int count, long intervalNanos) {
            this.target = target;
            this.count = count;
            this.intervalNanos = intervalNanos;
        }

        @Override
        public long waitNanos() {
            return due - System.nanoTime();
        }

        @Override
        public FullHttpRequest request() {
            due += intervalNanos;
            return target.post("/v1/topics/chain/messages", ("{\"n\":" + statuses.size() + "}").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean answered(FullHttpResponse answer) {
            statuses.add(answer.status().code());
            return statuses.size() < count;
        }
    }

    /** Ends before its first request. */
    private static final class Silent implements RequestChain.Conversation {
        @Override
        public FullHttpRequest request() {
            return null;
        }

        @Override
        public boolean answered(FullHttpResponse answer) {
            throw new AssertionError("nothing was asked");
        }
    }

    @Test
    void aConversationRunsToItsEndOnOneConnectionAtItsPace() throws Exception {
        Target target = new Target(server.url(), null);
        Publishes publishes = new Publishes(target, 5, TimeUnit.MILLISECONDS.toNanos(40));
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        long start = System.nanoTime();
        try (ClientLoop loop = new ClientLoop(1)) {
            assertThat(RequestChain.start(loop, URI.create(server.url()), publishes, failures::add).await(10, TimeUnit.SECONDS))
                    .as("the connection closes when the conversation ends").isTrue();
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(failures).isEmpty();
        assertThat(publishes.statuses).containsExactly(201, 201, 201, 201, 201);
        assertThat(elapsedMillis).as("five requests due 40 ms apart, the first at once").isGreaterThanOrEqualTo(160);
        HttpResponse<String> stored = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/v1/topics/chain/messages?after=0")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.body()).contains("{\"n\":0}").contains("{\"n\":4}");
    }

    @Test
    void aConversationWithNothingToAskClosesItsConnectionWithoutAFailure() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (ClientLoop loop = new ClientLoop(1)) {
            assertThat(RequestChain.start(loop, URI.create(server.url()), new Silent(), failures::add).await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aServerThatHangsUpMidConversationIsAFailure() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (ServerSocket hangsUp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); ClientLoop loop = new ClientLoop(1)) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = hangsUp.accept(); InputStream in = s.getInputStream()) {
                    in.read(); // the request has begun: hang up without an answer
                } catch (Exception e) {
                    // the test's assertions say what went wrong
                }
            });
            URI address = URI.create("http://127.0.0.1:" + hangsUp.getLocalPort());
            Publishes publishes = new Publishes(new Target(address.toString(), null), 3, 0);

            assertThat(RequestChain.start(loop, address, publishes, failures::add).await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(publishes.statuses).isEmpty();
        }
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString().contains("closed a connection in mid-conversation");
    }
}
