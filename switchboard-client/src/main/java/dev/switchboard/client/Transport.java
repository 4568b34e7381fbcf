package dev.switchboard.client;

/** How a {@link Subscription} reads its topic; every transport delivers the same messages. */
public enum Transport {
    /** Server-Sent Events: one streamed response; the lightest push. Payload content types are not carried. */
    SSE,
    /** One WebSocket with JSON frames. */
    WEBSOCKET,
    /** Reads held by the server until a message exists ({@code wait}); works through any proxy. */
    LONG_POLL,
    /** Plain reads every {@link SubscribeOptions#pollInterval()} while there is nothing new. */
    SHORT_POLL
}
