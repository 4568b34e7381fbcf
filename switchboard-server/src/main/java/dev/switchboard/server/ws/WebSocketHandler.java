package dev.switchboard.server.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.error.CloseReason;
import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.message.Topics;
import dev.switchboard.core.store.AppendRequest;
import dev.switchboard.core.store.Durability;
import dev.switchboard.server.ServerContext;
import dev.switchboard.server.api.JsonFields;
import dev.switchboard.server.api.MessageJson;
import dev.switchboard.server.auth.Action;
import dev.switchboard.server.auth.Principal;
import dev.switchboard.server.auth.TokenExpiry;
import dev.switchboard.server.ops.ServerMetrics;
import dev.switchboard.server.stream.LoopSweep;
import dev.switchboard.server.stream.StreamClose;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a WebSocket's frames into hub calls: {@code subscribe}, {@code unsubscribe}, {@code publish},
 * and for consumer groups {@code consume}, {@code ack}, {@code nack}, {@code stop} ({@link WsGroupConsumers}).
 * Bad requests get an error frame and the socket stays open. Everything that ends the socket ends
 * here, with one close frame: RFC 6455 violations {@link WsFrameDecoder} raises (1002, 1009 for one
 * frame), text that is not UTF-8 (1007) and fragments adding up to more than max-frame (1009), both
 * checked here, binary frames (1003), the client's own close (echoed), and a client silent for
 * 2 × ws-ping after a ping (1008, checked by the route's {@link LoopSweep}). Answers pings with pongs.
 * Joins fragmented messages itself, so a socket carries no aggregator, validator or idle timer. Each op is
 * checked against the grants of the token the upgrade carried (an error frame with 403 when not
 * granted), and the socket is closed with 1008 when that token expires.
 */
final class WebSocketHandler extends ChannelDuplexHandler implements LoopSweep.Member {
    private static final Logger LOG = Logger.getLogger(WebSocketHandler.class.getName());
    /** ws-ping periods without a byte from the client after which it is taken for dead (the first brings the ping). */
    static final int DEAD_AFTER_PERIODS = 3;

    private final ServerContext context;
    private final LoopSweep liveness;
    private final WsFrameDecoder decoder;
    private final Principal principal;
    private ChannelHandlerContext ctx;
    private WebSocketSession session;
    private WsGroupConsumers groups; // made on the first consume: most sockets never consume (event loop)
    private int pings; // pings sent since the client last sent a byte (event loop)
    private ByteBuf fragments; // the message being joined from fragments, if any (event loop)
    private boolean fragmentedBinary;
    private int utf8; // WsUtf8 state of the text message being read (event loop)
    private int sweepSlot = NOT_SWEPT; // event loop only

    WebSocketHandler(ServerContext context, LoopSweep liveness, WsFrameDecoder decoder, Principal principal) {
        this.context = context;
        this.liveness = liveness;
        this.decoder = decoder;
        this.principal = principal;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = new WebSocketSession(context, ctx);
        context.metrics().onSessionOpened(ServerMetrics.WS);
        liveness.add(ctx.executor(), this);
        TokenExpiry.schedule(ctx, principal, () -> {
            if (!session.ended()) {
                session.end(CloseCodes.POLICY_VIOLATION, CloseReason.TOKEN_EXPIRED.text());
            }
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        liveness.remove(ctx.executor(), this);
        dropFragments();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (session.ended()) {
                return; // our close frame is out: nothing the client sends after it is acted on
            }
            if (msg instanceof TextWebSocketFrame text) {
                utf8 = WsUtf8.scan(text.content(), WsUtf8.ACCEPT);
                if (!utf8Ok(text.isFinalFragment())) {
                    return;
                }
                if (text.isFinalFragment()) {
                    request(text.text());
                } else {
                    startFragments(text.content(), false);
                }
            } else if (msg instanceof ContinuationWebSocketFrame cont) {
                if (fragments != null && !fragmentedBinary) {
                    utf8 = WsUtf8.scan(cont.content(), utf8);
                    if (!utf8Ok(cont.isFinalFragment())) {
                        return;
                    }
                }
                continueFragments(cont);
            } else if (msg instanceof PingWebSocketFrame ping && ctx.channel().isWritable()) {
                // Same payload back. Not while our writes are backed up: a client that pings and never
                // reads must not grow the outbound buffer without a bound.
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                // WsFrameDecoder checked the code and reason: echo the code, or an empty close for an empty one.
                session.end(close.content().isReadable() ? close.statusCode() : WebSocketSession.NO_CODE, "");
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                if (binary.isFinalFragment()) {
                    session.end(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported: send JSON text frames");
                } else {
                    startFragments(binary.content(), true); // refused whole, unless it passes max-frame first
                }
            }
            // A pong needs no answer: WsFrameDecoder already noted its bytes.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Fragments are joined here rather than by an aggregator handler per socket: the decoder already
     * refuses a continuation outside a fragmented message and a new message inside one (1002), so only
     * the total size is left to check.
     */
    private void startFragments(ByteBuf first, boolean binary) {
        dropFragments();
        fragmentedBinary = binary;
        fragments = ctx.alloc().heapBuffer(Math.min(first.readableBytes() * 2, maxFrame()));
        fragments.writeBytes(first, first.readerIndex(), first.readableBytes());
    }

    private void continueFragments(ContinuationWebSocketFrame cont) {
        if (fragments == null) {
            return; // cannot happen after WsFrameDecoder; dropped as Netty's aggregator did
        }
        ByteBuf part = cont.content();
        if (part.readableBytes() > maxFrame() - fragments.readableBytes()) {
            dropFragments();
            session.end(CloseCodes.MESSAGE_TOO_BIG, "message above max-frame of " + maxFrame() + " bytes");
            return;
        }
        fragments.writeBytes(part, part.readerIndex(), part.readableBytes());
        if (cont.isFinalFragment()) {
            ByteBuf whole = fragments;
            boolean binary = fragmentedBinary;
            fragments = null;
            try {
                if (binary) {
                    session.end(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported: send JSON text frames");
                } else {
                    request(whole.toString(StandardCharsets.UTF_8)); // UTF-8 checked fragment by fragment
                }
            } finally {
                whole.release();
            }
        }
    }

    /** 1007 for a text fragment that is not UTF-8, or a text message that ends inside a character. */
    private boolean utf8Ok(boolean lastFragment) {
        if (utf8 == WsUtf8.REJECT || (lastFragment && utf8 != WsUtf8.ACCEPT)) {
            dropFragments();
            session.end(CloseCodes.INVALID_PAYLOAD, "text frame is not valid UTF-8");
            return false;
        }
        return true;
    }

    private void dropFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    private int maxFrame() {
        return context.config().limits().maxFrameBytes();
    }

    /**
     * Called by the liveness sweep a few times per ws-ping (event loop). Nothing read for ws-ping: ping,
     * which also keeps proxies from dropping a quiet socket; once more a period later. Still nothing
     * {@value #DEAD_AFTER_PERIODS} periods in, 2 × ws-ping after the first ping: the peer is gone (or
     * does not answer pings), so close with 1008 rather than hold its subscriptions forever.
     */
    @Override
    public void sweep(long now) {
        if (session.ended()) {
            return;
        }
        long pingNanos = Math.max(1, context.config().wsPing().toNanos()); // a config built by hand may hold 0
        long silent = now - decoder.lastRead;
        int periods = silent < 0 ? 0 : (int) Math.min(silent / pingNanos, DEAD_AFTER_PERIODS);
        if (periods < pings) {
            pings = periods; // the client sent something since the last ping
        }
        if (periods >= DEAD_AFTER_PERIODS) {
            long millis = (DEAD_AFTER_PERIODS - 1) * context.config().wsPing().toMillis();
            LOG.info("closing ws session (client " + ctx.channel().remoteAddress() + "): no frame and no pong "
                    + millis + "ms after a ping (ws-ping " + context.config().wsPing().toMillis() + "ms)");
            session.end(CloseCodes.POLICY_VIOLATION, "no pong within " + millis + "ms of a ping");
        } else if (periods > pings) {
            pings = periods;
            if (ctx.channel().isWritable()) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
        }
    }

    @Override
    public void sweepFailed(RuntimeException e) {
        LOG.log(Level.WARNING, "ws liveness check failed", e);
        ctx.close();
    }

    @Override
    public int sweepSlot() {
        return sweepSlot;
    }

    @Override
    public void sweepSlot(int slot) {
        sweepSlot = slot;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        liveness.remove(ctx.executor(), this);
        dropFragments();
        session.closed();
        if (groups != null) {
            groups.closed();
        }
        context.metrics().onSessionClosed(ServerMetrics.WS);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException e) {
            // WsFrameDecoder (1002; 1009 for one frame above max-frame; 1002/1007 for a bad close frame)
            // or the UTF-8 check (1007). Neither wrote anything: the close frame is sent here, once.
            session.end(e.closeStatus().code(), e.getMessage() != null ? e.getMessage() : e.closeStatus().reasonText());
        } else {
            ctx.close(); // most often a reset by the client
        }
    }

    /** The server closing a socket that did not say why (shutdown closes every connection): say it. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (context.hub().isStopping()) {
            session.end(CloseCodes.GOING_AWAY, "server shutting down");
        }
        ctx.close(promise);
    }

    private void request(String text) {
        JsonNode req;
        try {
            req = WsFrames.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            session.send(WsFrames.error(null, ErrorCode.MALFORMED_JSON, "the frame is not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (req == null || !req.isObject()) {
            session.send(WsFrames.error(null, ErrorCode.BAD_REQUEST, "a request is a JSON object with an \"op\""));
            return;
        }
        JsonNode id = req.get("id");
        try {
            String op = JsonFields.string(req, "op", true);
            Action action = switch (op) {
                case "subscribe" -> Action.SUBSCRIBE;
                case "publish" -> Action.PUBLISH;
                case "consume", "ack", "nack", "stop" -> Action.CONSUME;
                default -> null; // unsubscribe needs no grant; an unknown op is refused below
            };
            if (action != null) {
                principal.require(action, JsonFields.string(req, "topic", true));
            }
            switch (op) {
                case "subscribe" -> session.subscribe(JsonFields.string(req, "topic", true), after(req), JsonFields.string(req, "epoch", false), id);
                case "unsubscribe" -> session.unsubscribe(JsonFields.string(req, "topic", true), id);
                case "publish" -> publish(req, id);
                case "consume" -> consume(req, id);
                case "ack", "nack" -> consumers(req).settle(JsonFields.string(req, "topic", true), JsonFields.string(req, "group", true), req, id, op.equals("ack"));
                case "stop" -> consumers(req).stop(JsonFields.string(req, "topic", true), JsonFields.string(req, "group", true), id);
                default -> throw new SwitchboardException(ErrorCode.UNKNOWN_OP,
                        "unknown op '" + op + "': use subscribe, unsubscribe, publish, consume, ack, nack or stop");
            }
        } catch (SwitchboardException e) {
            session.fail(id, e);
        }
    }

    private void consume(JsonNode req, JsonNode id) {
        String topic = JsonFields.string(req, "topic", true);
        String group = JsonFields.string(req, "group", true);
        if (groups == null) {
            groups = new WsGroupConsumers(context, session);
        }
        int max = context.config().limits().maxSubscriptionsPerConnection();
        if (groups.count() >= max) {
            throw new SwitchboardException(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "consume of group '" + group + "' refused: this socket consumes "
                    + groups.count() + " groups, the limit is " + max + " (max-subscriptions)");
        }
        groups.consume(topic, group, req, id);
    }

    private WsGroupConsumers consumers(JsonNode req) {
        if (groups == null) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "this socket consumes no group: send {\"op\":\"consume\",\"topic\",\"group\"} first");
        }
        return groups;
    }

    private void publish(JsonNode req, JsonNode id) {
        String topic = JsonFields.string(req, "topic", true);
        if (Topics.isReserved(topic)) {
            throw new SwitchboardException(ErrorCode.BAD_TOPIC, "topic '" + topic + "' is reserved for the server: clients cannot publish to it");
        }
        Topics.requireValid(topic);
        JsonNode data = req.get("data");
        if (data == null) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "publish needs \"data\": a string (stored as text) or any JSON value");
        }
        Durability durability = Durability.parse(JsonFields.string(req, "durability", false));
        // A JSON string is stored as text, anything else as JSON, so a read gives back the same value.
        MessageDraft draft = data.isTextual()
                ? MessageDraft.of(MessageJson.TEXT, data.textValue().getBytes(StandardCharsets.UTF_8))
                : MessageDraft.of("application/json", data.toString().getBytes(StandardCharsets.UTF_8));
        context.hub().publish(new AppendRequest(topic, List.of(draft), durability, null))
                .whenComplete((appended, error) -> StreamClose.run(ctx, () -> {
                    if (error != null) {
                        session.fail(id, error);
                    } else {
                        session.acked(id, topic, appended.first(), appended.timeMillis());
                    }
                }));
    }


    private static Long after(JsonNode req) {
        JsonNode v = req.get("after");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "\"after\" must be an offset (a whole number, 0 or more), not " + v);
        }
        return v.asLong();
    }
}
