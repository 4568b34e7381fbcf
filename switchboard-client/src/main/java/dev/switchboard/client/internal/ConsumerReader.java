package dev.switchboard.client.internal;

/** One transport's group-consumer connection. Not API. */
public interface ConsumerReader {
    /**
     * Takes messages and hands them to {@link ConsumerLoop#handle} until the consumer is closed (then returns, having
     * given back what it took and did not handle) or the connection fails (then throws why).
     */
    void run(ConsumerLoop loop) throws Exception;
}
