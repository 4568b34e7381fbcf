package dev.switchboard.core.groups;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.store.Leased.Delivery;
import java.util.List;

/** A push transport's side of a {@link GroupConsumer}: where leased messages go. Called on a virtual thread. */
public interface GroupSession {

    void deliver(GroupConsumer consumer, List<Delivery> deliveries);

    /** False once the connection is gone: the consumer then stops and gives its messages back. */
    boolean isOpen();

    /** The consumer stopped because the store failed; its messages come back when their leases end. */
    void failed(GroupConsumer consumer, SwitchboardException error);
}
