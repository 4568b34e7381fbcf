package dev.switchboard.store.jdbc;

import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.HeaderCodec;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A {@code messages} row (alias {@code m}) as a {@link Message}: one mapping for log reads and group leases. */
public final class MessageRows {
    /** The columns {@link #message} reads, in its order. */
    public static final String COLUMNS = "m.seq, m.time_ms, m.content_type, m.payload, m.headers";

    private MessageRows() {}

    /** The message whose {@link #COLUMNS} start at column {@code first}. */
    public static Message message(String topic, ResultSet rs, int first) throws SQLException {
        byte[] payload = rs.getBytes(first + 3);
        // SQLite hands an empty BLOB back as null
        return new Message(topic, rs.getLong(first), rs.getLong(first + 1), rs.getString(first + 2),
                payload == null ? new byte[0] : payload, HeaderCodec.decode(rs.getBytes(first + 4)));
    }
}
