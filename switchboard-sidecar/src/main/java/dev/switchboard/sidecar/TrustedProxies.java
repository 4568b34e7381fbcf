package dev.switchboard.sidecar;

import dev.switchboard.core.config.ConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code Forwarded} and {@code X-Forwarded-*} headers are believed: a load balancer or CDN
 * in front of the sidecar. A request from one of them keeps its chain, and ours is appended. A request from
 * anyone else has those headers replaced: a client could otherwise make the app believe any address.
 *
 * <p>Ranges are CIDR ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a range of one.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Range(byte[] network, int bits) {}

    private final List<String> ranges;
    private final List<Range> parsed;

    /** Fails with a {@link ConfigException} naming the first range that does not parse. */
    public TrustedProxies(List<String> ranges) {
        this.ranges = List.copyOf(ranges);
        this.parsed = parse(this.ranges);
    }

    public List<String> ranges() {
        return ranges;
    }

    /** True when {@code peer} is in one of the ranges. */
    public boolean trusts(SocketAddress peer) {
        if (parsed.isEmpty() || !(peer instanceof InetSocketAddress a) || a.getAddress() == null) {
            return false;
        }
        byte[] ip = a.getAddress().getAddress();
        for (Range r : parsed) {
            if (r.network().length == ip.length && matches(ip, r)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] ip, Range r) {
        for (int bit = 0; bit < r.bits(); bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((ip[bit / 8] & mask) != (r.network()[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static List<Range> parse(List<String> ranges) {
        List<Range> out = new ArrayList<>(ranges.size());
        for (String cidr : ranges) {
            String[] parts = cidr.trim().split("/", 2);
            // Literal addresses only: a host name would make every request wait for DNS.
            if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                throw new ConfigException("trusted-proxies: '" + cidr + "' is not an address or CIDR range (e.g. 10.0.0.0/8, ::1)");
            }
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 1 ? network.length * 8 : Integer.parseInt(parts[1]);
                if (bits < 0 || bits > network.length * 8) {
                    throw new ConfigException("trusted-proxies: prefix length of '" + cidr + "' must be 0.." + network.length * 8);
                }
                out.add(new Range(network, bits));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new ConfigException("trusted-proxies: '" + cidr + "' is not an address or CIDR range (e.g. 10.0.0.0/8, ::1)");
            }
        }
        return out;
    }
}
