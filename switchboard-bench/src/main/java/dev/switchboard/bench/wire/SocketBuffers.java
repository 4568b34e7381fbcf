package dev.switchboard.bench.wire;

/**
 * Kernel socket buffers for a run whose server writes faster than the clients read (the generator's
 * ceiling). Linux grows each loopback socket's buffers on its own (here up to 4 MiB to send and 32 MiB to
 * receive, {@code tcp_wmem}/{@code tcp_rmem}), and every TCP socket of the machine shares one budget
 * ({@code tcp_mem}: pressure from 1.46 GiB on this VM). A thousand full sockets passed it: the kernel
 * then drops segments (TcpExtTCPRcvQDrop) and the sender waits for retransmission timeouts (200 ms and
 * doubling), so deliveries crawl at the timers' pace. A fixed size per socket, smaller as there are more
 * sockets, keeps a run's buffers within {@value #BUDGET_MIB} MiB for each direction.
 */
public final class SocketBuffers {
    private static final int BUDGET_MIB = 128;
    /** Two client reads' worth (Netty reads up to 64 KiB at a time): more queued per socket adds memory, not speed. */
    private static final int MAX = 128 << 10;
    /** A few deliveries per socket even at 10,000 sockets. */
    private static final int MIN = 8 << 10;

    private SocketBuffers() {}

    /** The {@code SO_SNDBUF} / {@code SO_RCVBUF} for each of {@code connections} sockets. */
    public static int perSocket(int connections) {
        long share = ((long) BUDGET_MIB << 20) / Math.max(1, connections);
        return (int) Math.max(MIN, Math.min(MAX, share));
    }
}
