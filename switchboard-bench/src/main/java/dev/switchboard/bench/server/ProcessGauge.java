package dev.switchboard.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads a server process's CPU time (user + system, from {@code /proc/<pid>/stat} through
 * {@link ProcessHandle.Info#totalCpuDuration}) and resident memory ({@code VmRSS} of
 * {@code /proc/<pid>/status}). {@link #NONE} when the pid is unknown: every figure is then -1.
 */
public class ProcessGauge {
    public static final ProcessGauge NONE = new ProcessGauge(-1);

    private final long pid;

    public ProcessGauge(long pid) {
        this.pid = pid;
    }

    public boolean known() {
        return pid > 0;
    }

    /** CPU time used so far in nanoseconds, or -1. */
    public long cpuNanos() {
        if (!known()) {
            return -1;
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    /** Resident set size in bytes, or -1. */
    public long rssBytes() {
        if (!known()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // the kernel prints kB
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
