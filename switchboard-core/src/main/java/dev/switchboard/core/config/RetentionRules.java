package dev.switchboard.core.config;

import dev.switchboard.core.store.Retention;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Retention per topic: the first rule whose glob ({@code *} matches any run of characters) matches the
 * topic name wins; otherwise the default.
 */
public record RetentionRules(Retention defaults, List<Rule> rules) {
    public RetentionRules {
        rules = List.copyOf(rules);
    }

    public Retention forTopic(String topic) {
        for (Rule r : rules) {
            if (r.matches(topic)) {
                return r.retention();
            }
        }
        return defaults;
    }

    public record Rule(String glob, Retention retention) {
        boolean matches(String topic) {
            String regex = Pattern.quote(glob).replace("*", "\\E.*\\Q");
            return topic.matches(regex);
        }
    }
}
