package dev.switchboard.client;

/** When a publish is answered: after the store's fsync ({@link #SYNC}, the default) or after its commit. */
public enum Durability {
    SYNC,
    ASYNC;

    String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
