package dev.switchboard.sidecar.proxy;

/** What an exchange hears from the upstream connection it holds; called on that connection's event loop. */
interface UpstreamListener {
    /** A response head, content or last content; the listener owns (and releases) it. */
    void upstreamRead(Object msg);

    void upstreamWritabilityChanged(boolean writable);

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void upstreamClosed(Throwable cause);
}
