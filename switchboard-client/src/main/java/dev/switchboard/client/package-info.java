/**
 * The Java SDK of Switchboard: start at {@link dev.switchboard.client.SwitchboardClient}.
 *
 * <p><b>Threads.</b> The client and everything it starts ({@link dev.switchboard.client.Subscription},
 * {@link dev.switchboard.client.GroupConsumer}, {@link dev.switchboard.client.JobWatch},
 * {@link dev.switchboard.client.JobWorker}) are thread-safe. Options ({@code SubscribeOptions},
 * {@code ConsumeOptions}, {@code SubmitOptions}, {@code WorkOptions}, {@code GroupReset}) and values ({@code Job},
 * {@code Message}, {@code Page}, …) are immutable records, safe to share. Listeners and handlers are called from a
 * thread of the subscription, consumer, watch or worker they belong to, one call at a time (a worker runs one per
 * concurrent job); each type's Javadoc names it.
 *
 * <p><b>Timeouts.</b> Every request waits for its answer up to the client's {@code requestTimeout} (a long poll:
 * its wait plus that); leases, idle timeouts and waits are settings of the options records, documented where set.
 *
 * <p><b>Closing.</b> Whatever was started has a {@code close()} that stops it; closing the client closes all of
 * it. Each {@code close()} says what it waits for and what it hands back.
 *
 * <p>{@code dev.switchboard.client.internal} is not API.
 */
package dev.switchboard.client;
