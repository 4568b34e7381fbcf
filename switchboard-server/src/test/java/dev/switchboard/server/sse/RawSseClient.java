package dev.switchboard.server.sse;

import dev.switchboard.server.HttpLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An SSE client on a bare socket, so a test decides when (and whether) it reads: it sends the request
 * and reads nothing until {@link #readToEnd} is called. Decodes HTTP/1.1 chunked framing by hand.
 */
final class RawSseClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private InputStream in;

    /** Connects with a small receive window so the server's writes back up quickly. */
    void connect(int port, String path) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        in = socket.getInputStream();
    }

    /** Reads until the server closes the connection (EOF or reset); returns the body's lines. */
    List<String> readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (!HttpLines.read(in).isEmpty()) {
                // status line and headers
            }
            while (true) {
                int size = Integer.parseInt(HttpLines.read(in).trim(), 16);
                if (size == 0) {
                    break;
                }
                body.writeBytes(in.readNBytes(size));
                HttpLines.read(in);
            }
        } catch (IOException | NumberFormatException e) {
            // EOF in the middle of a chunk, or a reset: keep what was read
        }
        String text = body.toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!text.endsWith("\n\n")) {
            // An event cut off by the close is not an event: drop the unfinished tail.
            int lastBlank = text.lastIndexOf("\n\n");
            lines = new ArrayList<>(List.of(text.substring(0, lastBlank + 2).split("\n", -1)));
        }
        return lines;
    }


    @Override
    public void close() throws IOException {
        socket.close();
    }
}
