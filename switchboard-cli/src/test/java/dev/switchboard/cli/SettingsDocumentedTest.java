package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.config.Setting;
import dev.switchboard.core.error.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README, docs and --help say what the code does: one table of settings, one catalog of errors. */
class SettingsDocumentedTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmeConfigurationTableListsEverySettingWithItsDefault() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("<!-- settings-table"), readme.indexOf("<!-- /settings-table -->"));
        List<String> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (line.startsWith("| `--")) {
                rows.add(line);
            }
        }
        List<String> expected = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String def = s.defaultValue().isEmpty() ? "—" : "`" + s.defaultValue() + "`";
            expected.add("| `" + s.flag() + "` | `" + s.envName() + "` | " + def + " | " + s.description() + " |");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    @Test
    void errorCatalogPageListsEveryCodeWithItsStatus() throws Exception {
        String errors = Files.readString(ROOT.resolve("docs/errors.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(errors).contains("| `" + code.slug() + "` | " + code.status() + " | " + (code.retryable() ? "yes" : "no") + " |");
        }
    }

    @Test
    void serverHelpOffersEverySettingAsAFlag() {
        StringWriter out = new StringWriter();
        var cli = SwitchboardCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("server", "--help")).isZero();
        for (Setting s : Setting.values()) {
            assertThat(out.toString()).contains(s.flag()).contains(s.envName());
        }
    }

    @Test
    void invalidSettingStopsTheServerWithExitCode2AndNamesTheSource() {
        StringWriter err = new StringWriter();
        var cli = SwitchboardCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("server", "--max-wait", "forever")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid max-wait=forever (flag --max-wait)").contains("30s");
    }
}
