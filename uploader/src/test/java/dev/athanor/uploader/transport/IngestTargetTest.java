package dev.athanor.uploader.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestTargetTest {

    @Test
    void oneAddressIsAListOfOne() {
        IngestTarget target = IngestTarget.parse("ingest:9090");
        assertThat(target.endpoints()).containsExactly(new Endpoint("ingest", 9090, null));
        assertThat(target.dns()).isFalse();
        assertThat(target).hasToString("ingest:9090");
    }

    @Test
    void aCommaSeparatedListKeepsItsOrder() {
        IngestTarget target = IngestTarget.parse(" 127.0.0.1:9090, 127.0.0.1:9091 ,[::1]:9092");
        assertThat(target.endpoints()).containsExactly(new Endpoint("127.0.0.1", 9090, null),
                new Endpoint("127.0.0.1", 9091, null), new Endpoint("::1", 9092, null));
        assertThat(target).hasToString("127.0.0.1:9090,127.0.0.1:9091,[::1]:9092");
        assertThat(target.loopbackOnly()).isTrue();
        assertThat(IngestTarget.parse("127.0.0.1:1,ingest-1:1").loopbackOnly()).isFalse();
    }

    @Test
    void urlsInAListMustAgreeOnTls() {
        IngestTarget target = IngestTarget.parse("https://a.example,https://b.example:8443");
        assertThat(target.tlsByScheme()).isTrue();
        assertThat(target.endpoints()).extracting(Endpoint::port).containsExactly(443, 8443);
        assertThatThrownBy(() -> IngestTarget.parse("https://a.example,b.example:9090"))
                .hasMessageContaining("item 2 of the endpoint list").hasMessageContaining("same scheme");
    }

    @Test
    void aDnsTargetUsesEveryAddressOfTheName() {
        IngestTarget target = IngestTarget.parse("dns:///athanor-ingest-headless:9090");
        assertThat(target.dns()).isTrue();
        assertThat(target.endpoints()).containsExactly(new Endpoint("athanor-ingest-headless", 9090, null));
        assertThat(target).hasToString("dns:///athanor-ingest-headless:9090");
        assertThat(target.loopbackOnly()).isFalse();
    }

    @Test
    void badListsSayWhichItemIsWrong() {
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,,b:9091"))
                .hasMessage("item 2 of the endpoint list 'a:9090,,b:9091' is empty; expected HOST:PORT,HOST:PORT,...");
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,")).hasMessageContaining("item 2").hasMessageContaining("is empty");
        assertThatThrownBy(() -> IngestTarget.parse(",a:9090")).hasMessageContaining("item 1").hasMessageContaining("is empty");
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,b:99999"))
                .hasMessageContaining("item 2 of the endpoint list").hasMessageContaining("port '99999' is not 1-65535");
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,b")).hasMessageContaining("item 2").hasMessageContaining("has no port");
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,b:x")).hasMessageContaining("port 'x' is not 1-65535");
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,a:9090")).hasMessageContaining("a:9090 is listed twice");
        assertThatThrownBy(() -> IngestTarget.parse("a:9090,dns:///b:9090")).hasMessageContaining("cannot be listed");
        assertThatThrownBy(() -> IngestTarget.parse("dns:///b:9090,c:1")).hasMessageContaining("not a list");
        assertThatThrownBy(() -> IngestTarget.parse("dns:///b")).hasMessageContaining("has no port");
        assertThatThrownBy(() -> IngestTarget.parse(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new IngestTarget(List.of(), false)).hasMessageContaining("no ingest endpoint");
    }
}
