package dev.athanor.uploader.transport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code --endpoint} names: one ingest address, a list of replicas' addresses, or a DNS name
 * whose every address is a replica.
 *
 * <ul>
 *   <li>{@code HOST:PORT} (or {@code https://HOST[:PORT]}, see {@link Endpoint}): one address.</li>
 *   <li>{@code A:9090,B:9091,...}: <b>round robin per connection</b>. The uploader keeps one
 *       channel per address and sends a whole session (ServerInfo, GetCommittedOffsets, CreateRun,
 *       the Upload stream) over one of them; every new session — a reconnect after a dropped stream,
 *       a refusal such as {@code UNAVAILABLE} from a replica that does not own a run, a replica
 *       that is down — goes to the next address of the list. The first session goes to a random
 *       address so that many uploaders spread over the list. Keeping a session on one replica
 *       matters while committed offsets are per replica: the offsets the session resumes from are
 *       those of the replica its stream writes to.</li>
 *   <li>{@code dns:///NAME:PORT}: grpc-java's own machinery: its DNS name resolver (re-resolved
 *       when connections fail) and the {@code round_robin} load-balancing policy, which keeps a
 *       connection to every address and sends each <em>call</em> to the next ready one. For a
 *       sidecar in the cluster: {@code dns:///athanor-ingest-headless:9090} reaches every ingest pod.</li>
 * </ul>
 *
 * @param endpoints the addresses (one for {@code dns:///}, the name and port to resolve)
 * @param dns       true for {@code dns:///NAME:PORT}
 */
public record IngestTarget(List<Endpoint> endpoints, boolean dns) {

    private static final String DNS = "dns:///";

    public IngestTarget {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no ingest endpoint");
        }
        if (dns && endpoints.size() != 1) {
            throw new IllegalArgumentException("a dns:/// target names one host");
        }
    }

    /** Parses {@code --endpoint}; the messages name the item and what is wrong with it. */
    public static IngestTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the ingest endpoint is empty; expected HOST:PORT");
        }
        String value = text.strip();
        if (value.regionMatches(true, 0, DNS, 0, DNS.length())) {
            if (value.contains(",")) {
                throw new IllegalArgumentException("endpoint '" + value + "': a dns:/// target is one name (every "
                        + "address it resolves to is used), not a list");
            }
            Endpoint endpoint = Endpoint.parse(value.substring(DNS.length()));
            return new IngestTarget(List.of(endpoint), true);
        }
        if (!value.contains(",")) {
            return new IngestTarget(List.of(Endpoint.parse(value)), false);
        }
        String[] items = value.split(",", -1);
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            String which = "item " + (i + 1) + " of the endpoint list '" + value + "'";
            if (item.isEmpty()) {
                throw new IllegalArgumentException(which + " is empty; expected HOST:PORT,HOST:PORT,...");
            }
            if (item.regionMatches(true, 0, DNS, 0, DNS.length())) {
                throw new IllegalArgumentException(which + ": dns:/// targets cannot be listed; give one alone");
            }
            Endpoint endpoint;
            try {
                endpoint = Endpoint.parse(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(which + ": " + e.getMessage(), e);
            }
            if (!seen.add(endpoint.toString())) {
                throw new IllegalArgumentException(which + ": " + endpoint + " is listed twice");
            }
            if (!endpoints.isEmpty() && !java.util.Objects.equals(endpoint.tlsByScheme(), endpoints.get(0).tlsByScheme())) {
                throw new IllegalArgumentException(which + ": every address of the list must use the same scheme "
                        + "(all HOST:PORT, all https:// or all http://)");
            }
            endpoints.add(endpoint);
        }
        return new IngestTarget(endpoints, false);
    }

    /** TLS as the scheme says (https:// yes, http:// no), null when no scheme was given. */
    public Boolean tlsByScheme() {
        return endpoints.get(0).tlsByScheme();
    }

    /** True when every address is on this machine (a token over plaintext stays local). */
    public boolean loopbackOnly() {
        return !dns && endpoints.stream().allMatch(e -> isLoopback(e.host()));
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** The gRPC target string of {@code dns:///} targets. */
    String dnsTarget() {
        return DNS + endpoints.get(0);
    }

    @Override
    public String toString() {
        if (dns) {
            return dnsTarget();
        }
        return String.join(",", endpoints.stream().map(Endpoint::toString).toList());
    }
}
