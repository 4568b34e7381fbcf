package dev.switchboard.client.internal;

/** One transport's connection: reads until it fails or the server ends it, then throws why. Not API. */
public interface Reader {
    /** Never returns normally: ends by throwing (a retryable exception for a close the server chose). */
    void run(Sink sink) throws Exception;
}
