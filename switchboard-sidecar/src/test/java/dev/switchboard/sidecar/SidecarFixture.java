package dev.switchboard.sidecar;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** For each test, an app ({@link TestUpstream}) and a sidecar with default settings in front of it, both on free ports. */
abstract class SidecarFixture {
    TestUpstream app;
    Sidecar sidecar;

    @BeforeEach
    void startAppAndSidecar() throws Exception {
        app = TestUpstream.start();
        sidecar = Sidecar.start(SidecarConfig.of(URI.create(app.url())).withPorts(0, 0));
    }

    @AfterEach
    void stopAppAndSidecar() {
        sidecar.shutdown();
        app.close();
    }
}
