package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.server.api.MessageJson;
import java.io.IOException;

/**
 * Checks that bytes are exactly one JSON value in UTF-8 (RFC 8259), with Jackson's streaming parser
 * and nothing built in memory. Payloads that pass are spliced raw into every reader's response, so
 * anything that would break the reader's JSON is refused here, at publish.
 */
final class JsonCheck {
    private JsonCheck() {}

    /**
     * @param what      how the error names the input: "JSON body", "NDJSON"
     * @param firstLine the line number of {@code bytes[from]} in the request body
     */
    static void requireOneValue(byte[] bytes, int from, int to, String what, int firstLine) {
        int bad = firstNonUtf8OrNul(bytes, from, to);
        if (bad >= 0) {
            throw malformed(what, firstLine + lineOf(bytes, from, bad), columnOf(bytes, from, bad),
                    bytes[bad] == 0 ? "a NUL byte (JSON must be UTF-8 text)" : "a byte that is not UTF-8 (JSON must be UTF-8)");
        }
        try (JsonParser p = MessageJson.JSON.createParser(bytes, from, to - from)) {
            if (p.nextToken() == null) {
                throw malformed(what, firstLine, 1, "no JSON value (the input is empty)");
            }
            p.skipChildren();
            JsonToken extra = p.nextToken();
            if (extra != null) {
                JsonLocation at = p.currentTokenLocation();
                throw malformed(what, firstLine + at.getLineNr() - 1, at.getColumnNr(),
                        "more than one JSON value (a second one starts here)");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? firstLine : firstLine + Math.max(at.getLineNr(), 1) - 1;
            throw malformed(what, line, at == null ? 0 : at.getColumnNr(), e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed(what, firstLine, 0, e.getMessage());
        }
    }

    // Valid UTF-8 without NUL bytes also keeps Jackson from guessing UTF-16/32, which needs zero bytes.
    private static int firstNonUtf8OrNul(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == 0) {
                int before = Utf8.firstInvalid(bytes, from, i);
                return before >= 0 ? before : i;
            }
        }
        return Utf8.firstInvalid(bytes, from, to);
    }

    private static int lineOf(byte[] bytes, int from, int index) {
        int lines = 0;
        for (int i = from; i < index; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static int columnOf(byte[] bytes, int from, int index) {
        int start = index;
        while (start > from && bytes[start - 1] != '\n') {
            start--;
        }
        return index - start + 1;
    }

    private static SwitchboardException malformed(String what, int line, int column, String why) {
        return new SwitchboardException(ErrorCode.MALFORMED_JSON,
                "invalid " + what + " at line " + line + ", column " + column + ": " + why + "; nothing was published");
    }
}
