package dev.switchboard.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.core.hub.ReadResult;
import dev.switchboard.core.message.Message;
import dev.switchboard.server.api.MessageJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A read's answer, {@code {"topic","messages":[…],"next","epoch"[,"gap"]}}. Each message goes in as
 * its shared {@link MessageJson#ITEM} bytes: encoded once, however many readers get it.
 */
final class ReadBody {
    private ReadBody() {}

    /** @param requestedAfter the client's {@code after}, echoed in {@code gap} (null when it read from the end) */
    static ByteBuf encode(ReadResult r, Long requestedAfter) {
        byte[] head = ("{\"topic\":" + quote(r.topic()) + ",\"messages\":[").getBytes(StandardCharsets.UTF_8);
        StringBuilder tail = new StringBuilder("],\"next\":").append(r.next()).append(",\"epoch\":").append(quote(r.epoch()));
        if (r.hasGap()) {
            // Retention removed messages the client had not read: say so instead of skipping silently.
            tail.append(",\"gap\":{");
            if (requestedAfter != null) {
                tail.append("\"after\":").append(requestedAfter).append(',');
            }
            tail.append("\"first\":").append(r.skippedBefore()).append('}');
        }
        byte[] end = tail.append('}').toString().getBytes(StandardCharsets.UTF_8);

        List<byte[]> items = new ArrayList<>(r.messages().size());
        int size = head.length + end.length + r.messages().size();
        for (Message m : r.messages()) {
            byte[] item = m.encoded(MessageJson.ITEM).bytes();
            items.add(item);
            size += item.length;
        }
        ByteBuf out = Unpooled.buffer(size);
        out.writeBytes(head);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            out.writeBytes(items.get(i));
        }
        return out.writeBytes(end);
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
