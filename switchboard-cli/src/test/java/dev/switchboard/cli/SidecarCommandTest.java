package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code switchboard sidecar}: invalid flags exit 2 with a line that names the mistake, before anything binds. */
class SidecarCommandTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--upstream|ftp://127.0.0.1:3000|invalid upstream=ftp://127.0.0.1:3000",
        "--trusted-proxies|proxy.internal|trusted-proxies: 'proxy.internal' is not an address",
        "--route-prefixes|api|route prefixes are paths starting with '/', got 'api'",
        "--cache-size|lots|'lots' is not a size",
        "--loop-spin-micros|5000|loop-spin-micros must be 0..1000, got 5000",
        "--loop-spin-micros|-1|loop-spin-micros must be 0..1000, got -1",
        "--loop-spin-micros|9223372036854775807|loop-spin-micros must be 0..1000, got 9223372036854775807"})
    void anInvalidFlagExitsWith2AndSaysWhy(String flag, String value, String message) {
        StringWriter err = new StringWriter();
        String[] args = flag.equals("--upstream") ? new String[] {"sidecar", flag, value}
                : new String[] {"sidecar", "--upstream", "http://127.0.0.1:3000", flag, value};
        int exit = new CommandLine(new SwitchboardCommand()).setErr(new PrintWriter(err)).execute(args);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("switchboard sidecar: ").contains(message);
    }
}
