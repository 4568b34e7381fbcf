package dev.switchboard.bench.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Results on disk: one pretty-printed JSON file per run, {@code <scenario>-<UTC time>.json}, in a
 * results folder; the report reads the latest file of each scenario.
 */
public final class ResultFiles {
    /** Where results go when no {@code --out} is given: the repository's gitignored results folder, relative to where the bench runs. */
    public static final Path DEFAULT_DIR = Path.of("bench", "results");

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private ResultFiles() {}

    public static Path write(Path dir, ScenarioResult r) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(r.scenario() + "-" + STAMP.format(java.time.Instant.parse(r.started())) + ".json");
        JSON.writeValue(file.toFile(), r);
        return file;
    }

    public static String json(ScenarioResult r) throws IOException {
        return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
    }

    /** The latest result of each scenario in {@code dir}, by scenario name. */
    public static List<ScenarioResult> latest(Path dir) throws IOException {
        Map<String, ScenarioResult> latest = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.comparing(Path::getFileName)).toList()) {
                ScenarioResult r = JSON.readValue(f.toFile(), ScenarioResult.class);
                latest.merge(r.scenario(), r, (a, b) -> b.started().compareTo(a.started()) > 0 ? b : a);
            }
        }
        return new ArrayList<>(latest.values());
    }
}
