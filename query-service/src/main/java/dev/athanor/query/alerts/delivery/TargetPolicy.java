package dev.athanor.query.alerts.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator's outbound allow-list for webhooks, so a rule cannot be used to probe the network:
 * a target is an http(s) URL whose host resolves only to public addresses, or to addresses (or a
 * host name) the operator listed. Checked when a rule is saved and again before every delivery,
 * on the addresses the name resolves to then (a name re-pointed at an internal address after the
 * rule was saved is refused at delivery).
 */
public final class TargetPolicy {

    /** A target refused, with the reason as a sentence. */
    public static final class RefusedTarget extends Exception {
        public RefusedTarget(String message) {
            super(message);
        }
    }

    /** How host names are resolved (replaced in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private record Block(byte[] network, int prefix) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[whole] & mask) == (network[whole] & mask);
        }
    }

    private static final List<Block> SPECIAL = List.of(
            block("0.0.0.0/8"), block("100.64.0.0/10"), block("192.0.0.0/24"), block("198.18.0.0/15"),
            block("240.0.0.0/4"), block("fc00::/7"), block("64:ff9b::/96"));

    private final List<Block> allowedBlocks = new ArrayList<>();
    private final List<String> allowedHosts = new ArrayList<>();
    private final Resolver resolver;

    public TargetPolicy(List<String> allowed, Resolver resolver) {
        this.resolver = resolver;
        for (String entry : allowed) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/")) {
                allowedBlocks.add(block(e));
            } else if (isLiteral(e)) {
                allowedBlocks.add(block(e + (e.contains(":") ? "/128" : "/32")));
            } else {
                allowedHosts.add(e.toLowerCase(Locale.ROOT));
            }
        }
    }

    public TargetPolicy(List<String> allowed) {
        this(allowed, InetAddress::getAllByName);
    }

    /** The URL as a URI, after checking its form: http or https, a host, no user information. */
    public static URI parse(String url) throws RefusedTarget {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedTarget("is not a URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedTarget("must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedTarget("has no host name");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedTarget("may not hold user information (user:password@); put credentials in the"
                    + " path or use the rule's secret");
        }
        return uri;
    }

    /** Checks the URL's form and every address its host resolves to now; the addresses if all are allowed. */
    public List<InetAddress> check(String url) throws RefusedTarget {
        URI uri = parse(url);
        String host = stripBrackets(uri.getHost()).toLowerCase(Locale.ROOT);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedTarget("names the host " + host + ", which does not resolve");
        }
        if (allowedHosts.contains(host)) {
            return List.of(addresses);
        }
        for (InetAddress address : addresses) {
            String reason = refusal(address);
            if (reason != null) {
                throw new RefusedTarget("resolves to " + address.getHostAddress() + ", a " + reason
                        + " address, which the operator's allow-list (athanor.alerts.allowed-targets) does not allow");
            }
        }
        return List.of(addresses);
    }

    /** Why an address is refused, or null when it is public or allowed. */
    String refusal(InetAddress address) {
        for (Block b : allowedBlocks) {
            if (b.contains(address)) {
                return null;
            }
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        for (Block b : SPECIAL) {
            if (b.contains(address)) {
                return "private or reserved";
            }
        }
        return null;
    }

    private static boolean isLiteral(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Block block(String cidr) {
        int slash = cidr.indexOf('/');
        String address = cidr.substring(0, slash);
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("athanor.alerts.allowed-targets: '" + cidr + "' is not a CIDR block");
        }
        if (!isLiteral(address)) {
            throw new IllegalArgumentException("athanor.alerts.allowed-targets: '" + cidr + "' is not a CIDR block");
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("athanor.alerts.allowed-targets: '" + cidr + "' is not a CIDR block");
        }
        int bits = network instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > bits || !(network instanceof Inet4Address || network instanceof Inet6Address)) {
            throw new IllegalArgumentException("athanor.alerts.allowed-targets: '" + cidr + "' has a prefix outside 0-" + bits);
        }
        return new Block(network.getAddress(), prefix);
    }
}
