import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the publish→delivery p99 goes (bench/latency-floor.sh runs it): the smallest client that can
 * measure it — blocking sockets, no HTTP library, one platform thread per connection, nothing
 * allocated per request but the request — so that what it reports is the server's and the machine's.
 *
 * <pre>java bench/probe/LatencyProbe.java PORT healthz|publish RATE SUBSCRIBERS SECONDS</pre>
 *
 * One connection sends {@code GET /healthz} or a 100-byte {@code POST …/messages?durability=async}
 * RATE times a second and times each round trip; with {@code publish}, SUBSCRIBERS SSE streams on the
 * topic time each message from its send (the payload carries {@link System#nanoTime}) to its arrival.
 * The first two seconds are warm-up. Prints one JSON line.
 */
public final class LatencyProbe {
    private static final long WARMUP_NANOS = 2_000_000_000L;

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !(args[1].equals("healthz") || args[1].equals("publish"))) {
            System.err.println("usage: java LatencyProbe.java PORT healthz|publish RATE SUBSCRIBERS SECONDS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        boolean publish = args[1].equals("publish");
        int rate = Integer.parseInt(args[2]);
        int subscribers = publish ? Integer.parseInt(args[3]) : 0;
        int seconds = Integer.parseInt(args[4]);
        String topic = "probe-" + System.currentTimeMillis();
        int expected = rate * seconds;
        Samples delivery = new Samples(expected * Math.max(1, subscribers) + 1024);
        CountDownLatch subscribed = new CountDownLatch(subscribers);
        for (int i = 0; i < subscribers; i++) {
            Thread.ofPlatform().daemon().start(() -> stream(port, topic, delivery, subscribed));
        }
        subscribed.await();
        Samples roundTrip = new Samples(expected + 1024);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long measureFrom = start + WARMUP_NANOS;
            long end = measureFrom + seconds * 1_000_000_000L;
            long next = start;
            while (next < end) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += period;
                long sent = System.nanoTime();
                out.write(publish ? publishRequest(topic, sent) : "GET /healthz HTTP/1.1\r\nHost: probe\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readResponse(in);
                if (sent >= measureFrom) {
                    roundTrip.add(System.nanoTime() - sent);
                } else {
                    delivery.clear(); // still warming up
                }
            }
        }
        Thread.sleep(200); // the last deliveries
        System.out.println("{\"mode\":\"" + args[1] + "\",\"rate\":" + rate + ",\"subscribers\":" + subscribers + ",\"seconds\":" + seconds
                + ",\"round_trip\":" + roundTrip.json() + (publish ? ",\"delivery\":" + delivery.json() : "") + "}");
        System.exit(0);
    }

    private static byte[] publishRequest(String topic, long sentNanos) {
        String head = "{\"t\":" + sentNanos + ",\"p\":\"";
        String body = head + "x".repeat(100 - head.length() - 3) + "\"}\n";
        return ("POST /v1/topics/" + topic + "/messages?durability=async HTTP/1.1\r\nHost: probe\r\nContent-Type: application/x-ndjson\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response with a Content-Length body; fails on anything but 2xx. */
    private static void readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (status == null || !status.matches("HTTP/1\\.1 2\\d\\d.*")) {
            throw new IOException("unexpected answer: " + status);
        }
        int length = 0;
        for (String h; !(h = line(in)).isEmpty(); ) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).strip());
            }
        }
        in.readNBytes(length);
    }

    private static void stream(int port, String topic, Samples delivery, CountDownLatch subscribed) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(("GET /v1/topics/" + topic + "/events HTTP/1.1\r\nHost: probe\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            boolean counted = false;
            for (String l; (l = line(in)) != null; ) {
                if (!counted && l.isEmpty()) {
                    subscribed.countDown(); // the response head is in: the stream is live
                    counted = true;
                }
                int t = l.indexOf("\"t\":");
                if (l.startsWith("data:") && t >= 0) {
                    long now = System.nanoTime();
                    delivery.add(now - Long.parseLong(l, t + 4, l.indexOf(',', t), 10));
                }
            }
        } catch (IOException e) {
            System.err.println("SSE stream ended: " + e);
        }
    }

    /** One CRLF- or LF-ended line without its end; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Nanosecond samples, recorded from many threads; percentiles in milliseconds. */
    private static final class Samples {
        private final long[] values;
        private int n;

        Samples(int capacity) {
            values = new long[capacity];
        }

        synchronized void add(long nanos) {
            if (n < values.length) {
                values[n++] = nanos;
            }
        }

        synchronized void clear() {
            n = 0;
        }

        synchronized String json() {
            long[] v = Arrays.copyOf(values, n);
            Arrays.sort(v);
            return "{\"n\":" + n + ",\"p50_ms\":" + at(v, 0.5) + ",\"p90_ms\":" + at(v, 0.9) + ",\"p99_ms\":" + at(v, 0.99)
                    + ",\"p999_ms\":" + at(v, 0.999) + ",\"max_ms\":" + at(v, 1) + "}";
        }

        private static String at(long[] sorted, double q) {
            return sorted.length == 0 ? "null" : String.format(java.util.Locale.ROOT, "%.3f", sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6);
        }
    }
}
