package dev.switchboard.bench.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A Switchboard server in its own JVM ({@link ChildJvm}, {@link ServerMain}) with an empty data folder on a free port. */
final class ChildServer implements ServerUnderTest {
    private final ChildJvm jvm;
    private final Path data;

    private ChildServer(ChildJvm jvm, Path data) {
        this.jvm = jvm;
        this.data = data;
    }

    static ChildServer start(Map<String, String> extraSettings) throws IOException, InterruptedException {
        Path data = DataFolders.create("switchboard-bench-server");
        Map<String, String> settings = new LinkedHashMap<>(Map.of("port", "0", "data", data.toString()));
        settings.putAll(extraSettings);
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add(k + "=" + v));
        return new ChildServer(ChildJvm.start(ServerMain.class.getName(), args), data);
    }

    @Override
    public String url() {
        return jvm.url();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(jvm.pid());
    }

    @Override
    public void close() {
        jvm.close();
        DataFolders.delete(data);
    }
}
