package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;

/** The HTTP/1.1 line reader the raw-socket test clients share: one CRLF- or LF-ended line, byte by byte. */
public final class HttpLines {
    private HttpLines() {}

    /** The next line without its line break; the stream is read no further than the {@code \n}. */
    public static String read(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("end of stream in the middle of a line");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
