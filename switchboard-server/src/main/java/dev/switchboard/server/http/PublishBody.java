package dev.switchboard.server.http;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.server.api.MessageJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A publish request's body as message drafts, decided by its Content-Type: JSON (checked, stored as
 * sent), text (UTF-8), NDJSON (one JSON message per line — the batch form), untyped or form-encoded
 * (what {@code curl -d} sends: text if it is UTF-8, else bytes), anything else as opaque bytes.
 */
record PublishBody(List<MessageDraft> drafts, boolean batch) {
    static final String NDJSON = "application/x-ndjson";
    static final String JSON = "application/json";
    static final String OCTETS = "application/octet-stream";
    private static final String FORM = "application/x-www-form-urlencoded";

    static PublishBody parse(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.trim();
        String base = MessageJson.baseType(type);
        if (base.equals(NDJSON)) {
            return new PublishBody(ndjson(withoutBom(body)), true);
        }
        if (base.isEmpty() || base.equals(FORM)) {
            return single(Utf8.isValid(body) ? MessageJson.TEXT : OCTETS, body);
        }
        if (MessageJson.isJson(type)) {
            byte[] json = withoutBom(body);
            JsonCheck.requireOneValue(json, 0, json.length, "JSON body", 1);
            return single(type, json);
        }
        if (MessageJson.isText(type)) {
            // Readers get text as a JSON string decoded as UTF-8; other bytes would arrive mangled.
            int bad = Utf8.firstInvalid(body, 0, body.length);
            if (bad >= 0) {
                throw new SwitchboardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the " + base + " body is not UTF-8 (byte "
                        + bad + " of " + body.length + "); send text as UTF-8, or other bytes as " + OCTETS);
            }
        }
        return single(type, body);
    }

    private static PublishBody single(String contentType, byte[] payload) {
        return new PublishBody(List.of(MessageDraft.of(contentType, payload)), false);
    }

    /** One JSON value per non-blank line; one bad line refuses the whole batch. */
    private static List<MessageDraft> ndjson(byte[] body) {
        List<MessageDraft> drafts = new ArrayList<>();
        int line = 1;
        for (int start = 0; start <= body.length; line++) {
            int end = indexOf(body, (byte) '\n', start);
            int from = start;
            int to = end;
            while (from < to && isBlank(body[from])) {
                from++;
            }
            while (to > from && isBlank(body[to - 1])) {
                to--;
            }
            if (from < to) {
                JsonCheck.requireOneValue(body, from, to, "NDJSON", line);
                drafts.add(MessageDraft.of(JSON, Arrays.copyOfRange(body, from, to)));
            }
            start = end + 1;
        }
        if (drafts.isEmpty()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                    "the " + NDJSON + " batch has no messages: send one JSON value per line");
        }
        return drafts;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    // A UTF-8 byte order mark would be spliced into readers' JSON, where it is not allowed; drop it.
    private static byte[] withoutBom(byte[] body) {
        boolean bom = body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF;
        return bom ? Arrays.copyOfRange(body, 3, body.length) : body;
    }
}
