package dev.switchboard.sidecar.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator of {@code bench/sidecar.sh}: HTTP/1.1 GETs over kept-alive raw sockets, one platform
 * thread per connection, so the client adds no more than a socket write and read to what it measures.
 * Run as a single-file program ({@code java HttpLoad.java …}); prints one JSON line.
 *
 * <ul>
 *   <li>{@code rate URL REQ_PER_S SECONDS CONNECTIONS [WARMUP_SECONDS]}: open loop at a fixed rate. Request {@code i}
 *       is due at {@code start + i/rate} on connection {@code i % CONNECTIONS}; its latency runs from when it was due
 *       (not when it was sent), so a stall shows in the percentiles instead of slowing the generator down. The first
 *       {@code WARMUP_SECONDS} (default 0) run at the same rate before the {@code SECONDS} that are measured: a run's
 *       first requests otherwise measure its start (this generator's own threads and JIT, every target's first use of
 *       fresh connections) rather than the steady rate. Their percentiles are printed apart ({@code warmup_*}).
 *   <li>{@code slices NAME=URL,NAME=URL,… REQ_PER_S SLICE_MS SECONDS_PER_TARGET CONNECTIONS [WARMUP_SECONDS]}: the
 *       {@code rate} mode for several targets that take turns. Time is cut into slices of {@code SLICE_MS} handed to the
 *       targets in rotation (the order given), and only the slice's target is loaded, at {@code REQ_PER_S}; each target
 *       has its own {@code CONNECTIONS}, opened before the clock starts. Comparing targets measured one after another
 *       compares the machine's noise at different minutes; slices of half a second put the same noise on all of them.
 *       The schedule is fixed in advance: a slice starts on its boundary whatever the previous one left in flight, and
 *       a request answered after its slice ended still counts (the JSON says how many did: {@code overran}). Runs until
 *       each target has had {@code SECONDS_PER_TARGET} of slices, after {@code WARMUP_SECONDS} of slices each that are
 *       not counted. Per target: merged percentiles, and the p99 of each block of {@value #BLOCK_SLICES} slices, so
 *       that the spread within a run shows.
 *   <li>{@code max URL SECONDS CONNECTIONS}: closed loop, each connection as fast as it gets answers: req/s.
 * </ul>
 * Responses must carry {@code Content-Length} (the bench's upstream always does).
 */
public final class HttpLoad {
    /** Slices per block of the {@code slices} mode's per-block p99: 5 s at the bench's 500 ms slices. */
    private static final int BLOCK_SLICES = 10;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "rate" -> {
                java.net.URI url = java.net.URI.create(args[1]);
                rate(url, request(url), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        args.length > 5 ? Integer.parseInt(args[5]) : 0);
            }
            case "slices" -> slices(args[1].split(","), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : 0);
            case "max" -> {
                java.net.URI url = java.net.URI.create(args[1]);
                max(url, request(url), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            }
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "' (rate, slices or max)");
        }
    }

    private static byte[] request(java.net.URI url) {
        return ("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nUser-Agent: switchboard-httpload\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void rate(java.net.URI url, byte[] request, int rate, int seconds, int connections, int warmupSeconds)
            throws Exception {
        int warmup = rate * warmupSeconds;
        int total = warmup + rate * seconds;
        long[] latencies = new long[total];
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        Thread[] threads = new Thread[connections];
        int[] errors = new int[connections];
        for (int c = 0; c < connections; c++) {
            int first = c;
            threads[c] = Thread.ofPlatform().start(() -> {
                try (Connection conn = new Connection(url)) {
                    for (int i = first; i < total; i += connections) {
                        long due = start + i * intervalNanos;
                        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                            LockSupport.parkNanos(wait);
                        }
                        conn.exchange(request);
                        latencies[i] = System.nanoTime() - due;
                    }
                } catch (IOException e) {
                    errors[first]++;
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] sorted = sortedAnswered(latencies, warmup, total);
        long[] warm = sortedAnswered(latencies, 0, warmup);
        System.out.printf(Locale.ROOT, "{\"mode\":\"rate\",\"rate\":%d,\"requests\":%d,\"errors\":%d,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
                        + "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"warmup_requests\":%d,\"warmup_p50_ms\":%.3f,"
                        + "\"warmup_p99_ms\":%.3f,\"warmup_max_ms\":%.3f}%n", rate, sorted.length, Arrays.stream(errors).sum(),
                ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), ms(sorted, 0.999), ms(sorted, 1.0),
                warm.length, ms(warm, 0.50), ms(warm, 0.99), ms(warm, 1.0));
    }

    /** One target of the {@code slices} mode; the arrays are written by its connections' threads, read after they end. */
    private record Target(String name, byte[] request, long[] latencies, int[] errors, int[] overran) {}

    private static void slices(String[] pairs, int rate, int sliceMs, int seconds, int connections, int warmupSeconds)
            throws Exception {
        if ((long) rate * sliceMs % 1000 != 0) {
            throw new IllegalArgumentException(
                    "a slice of " + sliceMs + " ms at " + rate + " req/s is not a whole number of requests");
        }
        int perSlice = rate * sliceMs / 1000;
        int warmSlices = (warmupSeconds * 1000 + sliceMs - 1) / sliceMs;
        int slices = (seconds * 1000 + sliceMs - 1) / sliceMs;
        int warmup = warmSlices * perSlice;
        int total = warmup + slices * perSlice;
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(sliceMs);
        Target[] targets = new Target[pairs.length];
        Connection[][] conns = new Connection[pairs.length][connections];
        for (int t = 0; t < pairs.length; t++) {
            String name = pairs[t].substring(0, Math.max(0, pairs[t].indexOf('=')));
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("expected NAME=URL with a plain name, got '" + pairs[t] + "'");
            }
            java.net.URI url = java.net.URI.create(pairs[t].substring(name.length() + 1));
            targets[t] = new Target(name, request(url), new long[total], new int[connections], new int[connections]);
            for (int c = 0; c < connections; c++) {
                try {
                    conns[t][c] = new Connection(url);
                } catch (IOException e) {
                    throw new IOException("cannot connect to " + name + " at " + url + " (connection " + c + ")", e);
                }
            }
        }
        // Request i of target t is the (i % perSlice)th of that target's slice i / perSlice, which is slice
        // (i / perSlice) * targets + t of the rotation. Every due time follows from the start alone, so a slice
        // begins on its boundary, never earlier or later, whatever the slice before left in flight.
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < targets.length; t++) {
            Target target = targets[t];
            int turn = t;
            for (int c = 0; c < connections; c++) {
                int first = c;
                Connection opened = conns[t][c];
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Connection conn = opened) {
                        for (int i = first; i < total; i += connections) {
                            long sliceStart = start + ((long) (i / perSlice) * targets.length + turn) * sliceNanos;
                            long due = sliceStart + (i % perSlice) * sliceNanos / perSlice;
                            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                                LockSupport.parkNanos(wait);
                            }
                            conn.exchange(target.request());
                            long answered = System.nanoTime();
                            target.latencies()[i] = answered - due;
                            if (i >= warmup && answered > sliceStart + sliceNanos) {
                                target.overran()[first]++;
                            }
                        }
                    } catch (IOException e) {
                        target.errors()[first]++;
                    }
                }));
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"mode\":\"slices\",\"rate\":%d,\"slice_ms\":%d,\"slices_per_target\":%d,\"warmup_slices_per_target\":%d,"
                        + "\"block_slices\":%d,\"connections\":%d,\"targets\":{",
                rate, sliceMs, slices, warmSlices, BLOCK_SLICES, connections));
        for (int t = 0; t < targets.length; t++) {
            Target target = targets[t];
            long[] sorted = sortedAnswered(target.latencies(), warmup, total);
            StringJoiner blocks = new StringJoiner(",", "[", "]");
            for (int from = warmup; from < total; from += BLOCK_SLICES * perSlice) {
                long[] block = sortedAnswered(target.latencies(), from, Math.min(total, from + BLOCK_SLICES * perSlice));
                blocks.add(String.format(Locale.ROOT, "%.3f", ms(block, 0.99)));
            }
            json.append(t == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "\"%s\":{\"requests\":%d,\"errors\":%d,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,"
                            + "\"max_ms\":%.3f,\"overran\":%d,\"block_p99_ms\":%s}",
                    target.name(), sorted.length, Arrays.stream(target.errors()).sum(), ms(sorted, 0.50), ms(sorted, 0.90),
                    ms(sorted, 0.99), ms(sorted, 0.999), ms(sorted, 1.0), Arrays.stream(target.overran()).sum(), blocks));
        }
        System.out.println(json.append("}}"));
    }

    private static void max(java.net.URI url, byte[] request, int seconds, int connections) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] counts = new long[connections];
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int me = c;
            threads[c] = Thread.ofPlatform().start(() -> {
                try (Connection conn = new Connection(url)) {
                    while (System.nanoTime() < end) {
                        conn.exchange(request);
                        counts[me]++;
                    }
                } catch (IOException e) {
                    // counted requests stand; a failed connection just stops adding
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long done = Arrays.stream(counts).sum();
        System.out.printf(Locale.ROOT, "{\"mode\":\"max\",\"connections\":%d,\"requests\":%d,\"req_per_s\":%.0f}%n", connections, done,
                done / (double) seconds);
    }

    /** The latencies of requests {@code from} (inclusive) to {@code to} that were answered (0: not answered), sorted. */
    private static long[] sortedAnswered(long[] latencies, int from, int to) {
        return Arrays.stream(latencies, from, to).filter(l -> l > 0).sorted().toArray();
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** One kept-alive connection: writes a request, reads one response (head, then Content-Length bytes). */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(java.net.URI url) throws IOException {
            socket = new Socket(url.getHost(), url.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        void exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            StringBuilder head = new StringBuilder(256);
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed mid-response");
                }
                head.append((char) b);
                matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            if (head.indexOf("HTTP/1.1 200") != 0) {
                throw new IOException("not a 200: " + head);
            }
            String lower = head.toString().toLowerCase(Locale.ROOT);
            int at = lower.indexOf("\ncontent-length:");
            if (at < 0) {
                throw new IOException("no Content-Length: " + head);
            }
            int length = Integer.parseInt(lower.substring(at + 16, lower.indexOf('\r', at)).trim());
            in.skipNBytes(length);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
