package dev.switchboard.server.http;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.server.api.MessageJson;
import dev.switchboard.server.api.Ndjson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A publish request's body as message drafts, decided by its Content-Type: JSON (checked, stored as
 * sent), text (UTF-8), NDJSON (one JSON message per line — the batch form), untyped or form-encoded
 * (what {@code curl -d} sends: text if it is UTF-8, else bytes), anything else as opaque bytes.
 */
record PublishBody(List<MessageDraft> drafts, boolean batch) {
    static final String NDJSON = Ndjson.MEDIA_TYPE;
    static final String JSON = "application/json";
    static final String OCTETS = "application/octet-stream";
    private static final String FORM = "application/x-www-form-urlencoded";

    static PublishBody parse(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.trim();
        String base = MessageJson.baseType(type);
        if (base.equals(NDJSON)) {
            return new PublishBody(ndjson(Ndjson.withoutBom(body)), true);
        }
        if (base.isEmpty() || base.equals(FORM)) {
            return single(Utf8.isValid(body) ? MessageJson.TEXT : OCTETS, body);
        }
        if (MessageJson.isJson(type)) {
            byte[] json = Ndjson.withoutBom(body);
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
        for (Ndjson.Line line : Ndjson.lines(body)) {
            JsonCheck.requireOneValue(body, line.from(), line.to(), "NDJSON", line.number());
            drafts.add(MessageDraft.of(JSON, Arrays.copyOfRange(body, line.from(), line.to())));
        }
        if (drafts.isEmpty()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                    "the " + NDJSON + " batch has no messages: send one JSON value per line");
        }
        return drafts;
    }
}
