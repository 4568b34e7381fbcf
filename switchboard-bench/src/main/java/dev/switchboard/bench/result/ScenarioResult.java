package dev.switchboard.bench.result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one result shape every scenario writes: its name, when it ran, the settings it ran with, and one
 * row per case (a case's identity first — e.g. {@code transport}, {@code subscribers} — then its
 * figures); {@code started} is an ISO-8601 UTC time. Rows keep their key order, so tables and JSON read the same way. Figures a run could not
 * measure (e.g. server CPU of a server whose pid is unknown) are left out of the row.
 */
public record ScenarioResult(String scenario, String started, Map<String, Object> setup, List<Map<String, Object>> rows) {
    public ScenarioResult {
        setup = new LinkedHashMap<>(setup);
        rows = new ArrayList<>(rows);
    }

    public static ScenarioResult start(String scenario, Map<String, Object> setup) {
        return new ScenarioResult(scenario, Instant.now().toString(), setup, List.of());
    }

    /** Adds a row built as {@code key, value, key, value, …}; null values are left out. */
    public ScenarioResult add(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                row.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        rows.add(row);
        return this;
    }
}
