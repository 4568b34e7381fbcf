import java.io.BufferedInputStream;
import java.io.EOFException;
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
 * measure it — blocking sockets, no client library, one platform thread per connection, nothing
 * allocated per request but the request — so that what it reports is the server's and the machine's.
 *
 * <pre>java bench/probe/LatencyProbe.java PORT healthz|publish|nats|mqtt RATE SUBSCRIBERS SECONDS</pre>
 *
 * One connection sends RATE requests a second and times each round trip: {@code healthz} a
 * {@code GET /healthz}; {@code publish} a 100-byte {@code POST …/messages?durability=async} to
 * Switchboard, with SUBSCRIBERS SSE streams on the topic. {@code nats} and {@code mqtt} do the same
 * to a peer on PORT (NATS core, an MQTT 3.1.1 broker such as Mosquitto, QoS 0), so that a peer and
 * Switchboard are measured by the same loop in the same run; their publishes have no answer, so the
 * round trip is a publish followed by a ping (NATS {@code PING}/{@code PONG}, MQTT
 * {@code PINGREQ}/{@code PINGRESP}), which the server answers after it has handled the publish.
 * Each subscriber times a message from its send (the payload carries {@link System#nanoTime}) to its
 * arrival. The first two seconds are warm-up. Prints one JSON line.
 */
public final class LatencyProbe {
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final int PAYLOAD_BYTES = 100;

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || wire(args[1]) == null) {
            System.err.println("usage: java LatencyProbe.java PORT healthz|publish|nats|mqtt RATE SUBSCRIBERS SECONDS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Wire wire = wire(args[1]);
        int rate = Integer.parseInt(args[2]);
        int subscribers = args[1].equals("healthz") ? 0 : Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        String topic = "probe-" + System.currentTimeMillis();
        int expected = rate * seconds;
        Samples delivery = new Samples(expected * Math.max(1, subscribers) + 1024);
        CountDownLatch subscribed = new CountDownLatch(subscribers);
        for (int i = 0; i < subscribers; i++) {
            Thread.ofPlatform().daemon().start(() -> subscribe(wire, port, topic, delivery, subscribed));
        }
        subscribed.await();
        Samples roundTrip = new Samples(expected + 1024);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            wire.open(out, in);
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long measureFrom = start + WARMUP_NANOS;
            long end = measureFrom + seconds * 1_000_000_000L;
            long next = start;
            while (next < end) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += period;
                long sent = System.nanoTime();
                out.write(wire.request(topic, payload(sent)));
                out.flush();
                wire.readAnswer(out, in);
                if (sent >= measureFrom) {
                    roundTrip.add(System.nanoTime() - sent);
                } else {
                    delivery.clear(); // still warming up
                }
            }
        }
        Thread.sleep(200); // the last deliveries
        System.out.println("{\"mode\":\"" + args[1] + "\",\"rate\":" + rate + ",\"subscribers\":" + subscribers + ",\"seconds\":" + seconds
                + ",\"round_trip\":" + roundTrip.json() + (subscribers > 0 ? ",\"delivery\":" + delivery.json() : "") + "}");
        System.exit(0);
    }

    private static Wire wire(String mode) {
        return switch (mode) {
            case "healthz" -> new Healthz();
            case "publish" -> new SwitchboardSse();
            case "nats" -> new Nats();
            case "mqtt" -> new Mqtt();
            default -> null;
        };
    }

    /** {@value #PAYLOAD_BYTES} bytes of JSON that carry their send time. */
    private static byte[] payload(long sentNanos) {
        String head = "{\"t\":" + sentNanos + ",\"p\":\"";
        return (head + "x".repeat(PAYLOAD_BYTES - head.length() - 3) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void subscribe(Wire wire, int port, String topic, Samples delivery, CountDownLatch subscribed) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            wire.subscribe(out, in, topic);
            subscribed.countDown();
            for (byte[] p; (p = wire.nextPayload(out, in)) != null; ) {
                long now = System.nanoTime();
                String text = new String(p, StandardCharsets.US_ASCII);
                int t = text.indexOf("\"t\":");
                if (t >= 0) {
                    delivery.add(now - Long.parseLong(text, t + 4, text.indexOf(',', t), 10));
                }
            }
        } catch (IOException e) {
            System.err.println("subscriber ended: " + e);
        }
    }

    /** One protocol's requests and deliveries. */
    private interface Wire {
        /** Whatever a connection says before its first request. */
        default void open(OutputStream out, InputStream in) throws IOException {
        }

        byte[] request(String topic, byte[] payload);

        /** Reads the answer to one request; fails on an error. */
        void readAnswer(OutputStream out, InputStream in) throws IOException;

        /** Subscribes and returns once the server has taken the subscription. */
        void subscribe(OutputStream out, InputStream in, String topic) throws IOException;

        /** The next delivered payload (or a line that holds it); null at the end of the stream. */
        byte[] nextPayload(OutputStream out, InputStream in) throws IOException;
    }

    private static class Healthz implements Wire {
        @Override
        public byte[] request(String topic, byte[] payload) {
            return "GET /healthz HTTP/1.1\r\nHost: probe\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        }

        /** One response with a Content-Length body; anything but 2xx fails. */
        @Override
        public void readAnswer(OutputStream out, InputStream in) throws IOException {
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

        @Override
        public void subscribe(OutputStream out, InputStream in, String topic) throws IOException {
            throw new UnsupportedOperationException("healthz has no subscribers");
        }

        @Override
        public byte[] nextPayload(OutputStream out, InputStream in) throws IOException {
            throw new UnsupportedOperationException("healthz has no subscribers");
        }
    }

    /** Switchboard: publishes by HTTP/1.1 POST, deliveries by SSE. */
    private static final class SwitchboardSse extends Healthz {
        @Override
        public byte[] request(String topic, byte[] payload) {
            String head = "POST /v1/topics/" + topic + "/messages?durability=async HTTP/1.1\r\nHost: probe\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: " + payload.length + "\r\n\r\n";
            return concat(head.getBytes(StandardCharsets.US_ASCII), payload);
        }

        @Override
        public void subscribe(OutputStream out, InputStream in, String topic) throws IOException {
            out.write(("GET /v1/topics/" + topic + "/events HTTP/1.1\r\nHost: probe\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = line(in);
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected answer: " + status);
            }
            while (!line(in).isEmpty()) {
                // the response head: once it is in, the stream is live
            }
        }

        @Override
        public byte[] nextPayload(OutputStream out, InputStream in) throws IOException {
            for (String l; (l = line(in)) != null; ) {
                if (l.startsWith("data:")) {
                    return l.getBytes(StandardCharsets.US_ASCII);
                }
            }
            return null;
        }
    }

    /** NATS core's text protocol: {@code PUB}, {@code SUB}, {@code MSG}, {@code PING}/{@code PONG}. */
    private static final class Nats implements Wire {
        private static final byte[] CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        public void open(OutputStream out, InputStream in) throws IOException {
            expect(line(in), "INFO ");
            out.write(CONNECT);
        }

        @Override
        public byte[] request(String topic, byte[] payload) {
            return concat(("PUB " + topic + " " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII), payload,
                    "\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        /** The {@code PONG} to the request's {@code PING}, answering the server's own pings on the way. */
        @Override
        public void readAnswer(OutputStream out, InputStream in) throws IOException {
            String l;
            while ("PING".equals(l = line(in))) {
                pong(out);
            }
            expect(l, "PONG");
        }

        @Override
        public void subscribe(OutputStream out, InputStream in, String topic) throws IOException {
            open(out, in);
            out.write(("SUB " + topic + " 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readAnswer(out, in);
        }

        @Override
        public byte[] nextPayload(OutputStream out, InputStream in) throws IOException {
            for (String l; (l = line(in)) != null; ) {
                if (l.startsWith("MSG ")) {
                    byte[] p = in.readNBytes(Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)));
                    line(in); // the CRLF after the payload
                    return p;
                }
                if (l.equals("PING")) {
                    pong(out);
                }
            }
            return null;
        }

        private static void pong(OutputStream out) throws IOException {
            out.write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static void expect(String line, String prefix) throws IOException {
            if (line == null || !line.startsWith(prefix)) {
                throw new IOException("expected " + prefix.strip() + ", got: " + line);
            }
        }
    }

    /** MQTT 3.1.1 (OASIS standard, §3): CONNECT, SUBSCRIBE, PUBLISH at QoS 0, PINGREQ. */
    private static final class Mqtt implements Wire {
        private static final int CONNACK = 2;
        private static final int PUBLISH = 3;
        private static final int SUBACK = 9;
        private static final int PINGRESP = 13;
        private static final byte[] PINGREQ = {(byte) 0xC0, 0};

        @Override
        public void open(OutputStream out, InputStream in) throws IOException {
            byte[] id = ("probe-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            // protocol name "MQTT", level 4, clean session, keep-alive 60 s, then the client id
            byte[] variable = concat(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60}, string(id));
            out.write(packet(0x10, variable));
            out.flush();
            byte[] ack = expect(in, CONNACK);
            if (ack[1] != 0) {
                throw new IOException("connection refused, return code " + ack[1]);
            }
        }

        @Override
        public byte[] request(String topic, byte[] payload) {
            return concat(packet(0x30, concat(string(topic.getBytes(StandardCharsets.US_ASCII)), payload)), PINGREQ);
        }

        @Override
        public void readAnswer(OutputStream out, InputStream in) throws IOException {
            expect(in, PINGRESP);
        }

        @Override
        public void subscribe(OutputStream out, InputStream in, String topic) throws IOException {
            open(out, in);
            // packet id 1, one topic filter at QoS 0
            out.write(packet(0x82, concat(new byte[] {0, 1}, string(topic.getBytes(StandardCharsets.US_ASCII)), new byte[] {0})));
            out.flush();
            byte[] ack = expect(in, SUBACK);
            if (ack[ack.length - 1] != 0) {
                throw new IOException("subscription refused");
            }
        }

        @Override
        public byte[] nextPayload(OutputStream out, InputStream in) throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            byte[] body = in.readNBytes(remainingLength(in));
            if (first >> 4 != PUBLISH) {
                return new byte[0];
            }
            int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return Arrays.copyOfRange(body, 2 + topicLength, body.length);
        }

        private static byte[] expect(InputStream in, int type) throws IOException {
            int first = in.read();
            if (first < 0) {
                throw new EOFException("broker hung up");
            }
            byte[] body = in.readNBytes(remainingLength(in));
            if (first >> 4 != type) {
                throw new IOException("expected packet type " + type + ", got " + (first >> 4));
            }
            return body;
        }

        private static byte[] packet(int header, byte[] body) {
            byte[] length = new byte[4];
            int n = 0;
            int rest = body.length;
            do {
                int digit = rest % 128;
                rest /= 128;
                length[n++] = (byte) (rest > 0 ? digit | 0x80 : digit);
            } while (rest > 0);
            return concat(new byte[] {(byte) header}, Arrays.copyOf(length, n), body);
        }

        private static int remainingLength(InputStream in) throws IOException {
            int value = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("broker hung up");
                }
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException("malformed remaining length");
        }

        private static byte[] string(byte[] utf8) {
            return concat(new byte[] {(byte) (utf8.length >> 8), (byte) utf8.length}, utf8);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
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
