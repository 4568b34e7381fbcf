package dev.switchboard.sidecar.grip;

/** A request held open on a topic. */
public interface Hold {
    /** The client went away (client event loop): stop delivering to it. */
    void clientClosed();

    /** True while the held request owns the connection's input (an SSE stream: what the client sends is dropped). */
    boolean discardsInput();
}
