package dev.switchboard.core.jobs;

import dev.switchboard.core.message.MessageDraft;
import dev.switchboard.core.store.Job;

/**
 * How a job change becomes a message on its topic {@code _jobs/{id}}: the wire form belongs to the
 * server (core has no JSON library), the hub only appends what this gives.
 */
@FunctionalInterface
public interface JobEvents {
    /** A one-line text form, {@code <state> v<version>}: for tests and embedding without the server. */
    JobEvents PLAIN = job -> MessageDraft.of("text/plain; charset=utf-8",
            (job.state().wire() + " v" + job.version()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    MessageDraft of(Job job);

    /** The reserved topic that carries a job's status and progress events. */
    static String topicOf(String id) {
        return "_jobs/" + id;
    }
}
