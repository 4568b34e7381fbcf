package dev.switchboard.server.ws;

import dev.switchboard.server.HttpLines;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a bare socket, so a test decides when it reads: it upgrades, subscribes, and
 * then reads nothing until {@link #readCloseCode}.
 */
final class StalledWsClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private DataInputStream in;

    void connectAndSubscribe(int port, String topic) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("switchboard-test".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        in = new DataInputStream(socket.getInputStream());
        String status = HttpLines.read(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!HttpLines.read(in).isEmpty()) {
            // response headers
        }
        byte[] payload = ("{\"op\":\"subscribe\",\"topic\":\"" + topic + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length]; // FIN+text, masked length < 126, a zero mask (client frames must be masked)
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        out.write(frame);
        out.flush();
    }

    /** Reads frames (skipping their payloads) until the close frame; returns its status code. */
    int readCloseCode() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte() & 0x7F;
            long len = b1 == 126 ? in.readUnsignedShort() : b1 == 127 ? in.readLong() : b1;
            if ((b0 & 0x0F) == 0x8) {
                return len >= 2 ? in.readUnsignedShort() : 1005;
            }
            in.skipNBytes(len);
        }
    }


    @Override
    public void close() throws IOException {
        socket.close();
    }
}
