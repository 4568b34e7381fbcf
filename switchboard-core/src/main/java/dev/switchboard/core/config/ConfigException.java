package dev.switchboard.core.config;

/** A setting that cannot be used, with where it came from and what would be accepted. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
