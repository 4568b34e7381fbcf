package dev.switchboard.cli;

import picocli.CommandLine;

/** The version from the jar's manifest ("dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = SwitchboardCommand.class.getPackage().getImplementationVersion();
        return new String[] {"switchboard " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
