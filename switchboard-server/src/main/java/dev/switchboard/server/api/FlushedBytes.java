package dev.switchboard.server.api;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * What a JSON generator flushes, kept in one array. The generator fills its own pooled buffer and
 * hands it over once, at close, for any document smaller than that buffer (8 KB), so a small answer
 * costs one exact-size copy.
 */
final class FlushedBytes extends OutputStream {
    private byte[] bytes = new byte[0];
    private int size;

    @Override
    public void write(byte[] b, int off, int len) {
        if (size + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + len, bytes.length * 2));
        }
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
