package dev.switchboard.store.postgres;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.HeaderCodec;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A {@code messages} row (alias {@code m}) as a {@link Message}: one mapping for log reads and group leases. */
final class MessageRows {
    /** The columns {@link #message} reads, in its order. */
    static final String COLUMNS = "m.seq, m.time_ms, m.content_type, m.payload, m.headers";

    private MessageRows() {}

    /** The message whose {@link #COLUMNS} start at column {@code first}. */
    static Message message(String topic, ResultSet rs, int first) throws SQLException {
        return new Message(topic, rs.getLong(first), rs.getLong(first + 1), rs.getString(first + 2), rs.getBytes(first + 3),
                HeaderCodec.decode(rs.getBytes(first + 4)));
    }
}
