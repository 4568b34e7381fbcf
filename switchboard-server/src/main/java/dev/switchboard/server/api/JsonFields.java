package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;

/** Fields of a JSON request (a body, a WebSocket op), read the same way everywhere and refused by name. */
public final class JsonFields {
    private JsonFields() {}

    /** A string field; null when absent (or JSON null) and not {@code required}. */
    public static String string(JsonNode object, String field, boolean required) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"" + field + "\" is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"" + field + "\" must be a string, not " + v);
        }
        return v.textValue();
    }
}
