package dev.switchboard.server.ws;

import dev.switchboard.server.HttpLines;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client written byte by byte on a bare socket, so a test can send what RFC 6455 forbids
 * (reserved bits and opcodes, unmasked or fragmented control frames, broken UTF-8, bad close codes)
 * and read the exact close frame the server answers with.
 */
final class RawWsClient implements AutoCloseable {
    static final int CONT = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A frame from the server; {@code code} and {@code reason} are only meaningful for close frames. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        int code() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        String reason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** How the server ended the connection: its close frame's code and reason, or 1006 when it sent none. */
    record Closed(int code, String reason) {}

    private final Socket socket = new Socket();
    private DataInputStream in;
    private OutputStream out;

    static RawWsClient connect(int port) throws IOException {
        RawWsClient c = new RawWsClient();
        c.upgrade(port);
        return c;
    }

    private void upgrade(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        out.write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = HttpLines.read(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        String accept = null;
        for (String line = HttpLines.read(in); !line.isEmpty(); line = HttpLines.read(in)) {
            if (line.regionMatches(true, 0, "Sec-WebSocket-Accept:", 0, 21)) {
                accept = line.substring(21).trim();
            }
        }
        if (!accept(key).equals(accept)) {
            throw new IOException("wrong Sec-WebSocket-Accept: " + accept);
        }
    }

    /** A masked text frame with FIN set: an ordinary client message. */
    void sendText(String text) throws IOException {
        send(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with a status code (two bytes, big-endian) and a reason of raw bytes. */
    void sendClose(int code, byte[] reason) throws IOException {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        send(true, 0, CLOSE, payload);
    }

    /** A masked frame, as a client must send it. */
    void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        write(frame(fin, rsv, opcode, payload, true));
    }

    /** A frame exactly as given: {@code masked=false} breaks RFC 6455 §5.1. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            f.write(maskBit | n);
        } else if (n <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >>> (8 * i)));
            }
        }
        if (!masked) {
            f.writeBytes(payload);
            return f.toByteArray();
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Bytes received and not yet read. */
    int unread() throws IOException {
        return in.available();
    }

    /** The next frame from the server (server frames are never masked). */
    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server sent a masked frame");
        }
        int len7 = b1 & 0x7F;
        long len = len7 == 126 ? in.readUnsignedShort() : len7 == 127 ? in.readLong() : len7;
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("connection ended inside a frame");
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** The next frame of {@code opcode}, skipping any other (the server may ping in between). */
    Frame readFrame(int opcode) throws IOException {
        for (Frame f = readFrame(); ; f = readFrame()) {
            if (f.opcode() == opcode) {
                return f;
            }
        }
    }

    /**
     * Reads until the server's close frame and then the end of the connection, which must follow it;
     * a connection that ends without a close frame counts as 1006 (RFC 6455 §7.1.5).
     */
    Closed awaitClose() throws IOException {
        Frame close;
        try {
            close = readFrame(CLOSE);
        } catch (EOFException | SocketException e) {
            return new Closed(1006, "no close frame: " + e);
        }
        try {
            if (in.read() != -1) {
                throw new IOException("the server sent bytes after its close frame");
            }
        } catch (SocketException e) {
            // a reset after the close frame still ends the connection
        }
        return new Closed(close.code(), close.reason());
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    @Override
    public void close() throws IOException {
        socket.close();
    }
}
