package dev.switchboard.sidecar.grip;

/** How a held request ended, for the access log; called once, on the client's event loop. */
@FunctionalInterface
public interface HoldEnd {
    /** @param keepAlive the connection may carry the client's next request */
    void ended(int status, long bytes, boolean keepAlive);
}
