package dev.athanor.uploader.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void hostAndPort() {
        assertThat(Endpoint.parse("ingest.athanor.svc:9000")).isEqualTo(new Endpoint("ingest.athanor.svc", 9000, null));
        assertThat(Endpoint.parse(" 127.0.0.1:1 ")).isEqualTo(new Endpoint("127.0.0.1", 1, null));
    }

    @Test
    void bracketedIpv6() {
        Endpoint endpoint = Endpoint.parse("[::1]:9000");
        assertThat(endpoint).isEqualTo(new Endpoint("::1", 9000, null));
        assertThat(endpoint).hasToString("[::1]:9000");
    }

    @Test
    void urlsChooseTlsAndDefaultPorts() {
        assertThat(Endpoint.parse("https://ingest.example.com")).isEqualTo(new Endpoint("ingest.example.com", 443, true));
        assertThat(Endpoint.parse("http://localhost:9000/")).isEqualTo(new Endpoint("localhost", 9000, false));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> Endpoint.parse("ingest")).hasMessageContaining("'ingest' has no port");
        assertThatThrownBy(() -> Endpoint.parse("ingest:99999")).hasMessageContaining("'99999' is not 1-65535");
        assertThatThrownBy(() -> Endpoint.parse("ingest:http")).hasMessageContaining("'http' is not 1-65535");
        assertThatThrownBy(() -> Endpoint.parse("::1:9000")).hasMessageContaining("[ADDRESS]:PORT");
        assertThatThrownBy(() -> Endpoint.parse("ftp://x:1")).hasMessageContaining("unknown scheme 'ftp'");
        assertThatThrownBy(() -> Endpoint.parse("https://x/api")).hasMessageContaining("no path");
        assertThatThrownBy(() -> Endpoint.parse("")).hasMessageContaining("empty");
    }
}
