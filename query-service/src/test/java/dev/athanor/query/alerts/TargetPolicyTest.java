package dev.athanor.query.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.alerts.delivery.TargetPolicy;
import dev.athanor.query.alerts.delivery.WebhookClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The outbound allow-list: what is refused by default, what the operator can allow, and a name re-pointed later. */
class TargetPolicyTest {

    private final Map<String, String> dns = new ConcurrentHashMap<>(Map.of(
            "hooks.example.com", "93.184.216.34",
            "metadata.internal", "169.254.169.254",
            "rebind.example.com", "93.184.216.35",
            "hooks.corp", "10.20.30.40"));

    private InetAddress[] resolve(String host) throws UnknownHostException {
        String address = dns.getOrDefault(host, host.matches("[0-9.:a-f]+") ? host : null);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    }

    private TargetPolicy policy(String... allowed) {
        return new TargetPolicy(List.of(allowed), this::resolve);
    }

    @Test
    void publicAddressesPassAndInternalOnesAreRefusedNamingWhy() throws Exception {
        assertThat(policy().check("https://hooks.example.com/x")).hasSize(1);
        String[][] refused = {
                {"http://127.0.0.1:8080/", "loopback"}, {"http://[::1]/", "loopback"},
                {"http://metadata.internal/latest", "link-local"}, {"http://10.1.2.3/", "private"},
                {"http://192.168.1.1/", "private"}, {"http://172.16.0.1/", "private"}, {"http://100.64.0.1/", "reserved"},
                {"http://0.0.0.0/", "unspecified"}, {"http://[fd12::1]/", "reserved"}, {"http://224.0.0.1/", "multicast"},
                {"http://[::ffff:127.0.0.1]/", "loopback"}, {"http://nowhere.invalid/", "does not resolve"},
                {"file:///etc/passwd", "http:// or https://"}, {"gopher://x/", "http:// or https://"},
                {"http:///path", "no host"}, {"https://u:p@hooks.example.com/", "user information"}, {"http://a b/", "not a URL"},
        };
        for (String[] r : refused) {
            assertThatThrownBy(() -> policy().check(r[0])).as(r[0]).isInstanceOf(TargetPolicy.RefusedTarget.class)
                    .hasMessageContaining(r[1]);
        }
    }

    @Test
    void theOperatorAllowsBlocksAndHostNames() throws Exception {
        assertThat(policy("127.0.0.0/8").check("http://127.0.0.1:9/")).hasSize(1);
        assertThat(policy("10.20.0.0/16").check("http://hooks.corp/")).hasSize(1);
        assertThat(policy("hooks.corp").check("http://hooks.corp/")).hasSize(1);
        assertThat(policy("::1/128", "10.20.30.40").check("http://[::1]/")).hasSize(1);
        assertThatThrownBy(() -> policy("10.20.0.0/16").check("http://10.21.0.1/")).hasMessageContaining("private");
        assertThatThrownBy(() -> policy("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed-targets");
        assertThatThrownBy(() -> policy("hooks/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameRePointedAtAnInternalAddressAfterTheRuleWasSavedIsRefusedAtDelivery() throws Exception {
        TargetPolicy policy = policy();
        assertThat(policy.check("http://rebind.example.com/hook")).hasSize(1);
        dns.put("rebind.example.com", "169.254.169.254");
        WebhookClient.Result result = new WebhookClient(policy, Duration.ofSeconds(1), Clock.systemUTC())
                .send("http://rebind.example.com/hook", "secret-123", "{}", 1, "FIRING");
        assertThat(result.refused()).isTrue();
        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).contains("169.254.169.254").contains("link-local");
    }
}
