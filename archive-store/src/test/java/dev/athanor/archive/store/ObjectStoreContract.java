package dev.athanor.archive.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ObjectStore} backend must have. Each backend's test extends this
 * class and supplies a store; every test writes under its own fresh prefix.
 */
public abstract class ObjectStoreContract {

    @TempDir
    protected Path tmp;

    /** A store to test; may be shared between tests (keys never collide). */
    protected abstract ObjectStore store();

    /** Whether this backend can presign URLs. */
    protected abstract boolean presignSupported();

    /** Checks a presigned URL: by default fetches it and compares the bytes. */
    protected void checkPresigned(URI url, byte[] expected) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            assertThat(response.body()).isEqualTo(expected);
        }
    }

    private String prefix;
    private final Random random = new Random(42);

    @BeforeEach
    void freshPrefix() {
        prefix = "contract-" + UUID.randomUUID() + "/";
    }

    protected String key(String rest) {
        return prefix + rest;
    }

    protected byte[] bytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    protected Path file(byte[] content) throws IOException {
        Path p = Files.createTempFile(tmp, "src", ".bin");
        Files.write(p, content);
        return p;
    }

    protected ObjectInfo put(String key, byte[] content) throws IOException {
        Crc32c.Digest d = Crc32c.of(content);
        return store().put(key, file(content), d.size(), d.crc32c(), StorageTier.WARM);
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void accessCheckPassesOnAReachableStore() throws Exception {
        store().checkAccess();
    }

    @Test
    void putThenHeadGetReportSizeContentAndWarmTier() throws Exception {
        byte[] content = bytes(70_000);
        String key = key("proj/exp/run/events.out.tfevents.1700000000.node.00000000.athanor");
        ObjectInfo stored = put(key, content);

        assertThat(stored.key()).isEqualTo(key);
        assertThat(stored.size()).isEqualTo(content.length);
        ObjectInfo head = store().head(key).orElseThrow();
        assertThat(head.size()).isEqualTo(content.length);
        assertThat(head.tier()).isEqualTo(StorageTier.WARM);
        // A store that reports a checksum must report the right one.
        head.crc32c().ifPresent(crc -> assertThat(crc).isEqualTo(Crc32c.of(content).crc32c()));
        assertThat(read(store().get(key))).isEqualTo(content);
    }

    @Test
    void emptyObjectsRoundTrip() throws Exception {
        String key = key("empty");
        put(key, new byte[0]);
        assertThat(store().head(key).orElseThrow().size()).isZero();
        assertThat(read(store().get(key))).isEmpty();
    }

    @Test
    void rangeReadsReturnExactSlicesClippedAtTheEnd() throws Exception {
        byte[] content = bytes(10_000);
        String key = key("ranged");
        put(key, content);

        assertThat(read(store().getRange(key, 0, 1))).containsExactly(content[0]);
        assertThat(read(store().getRange(key, 1234, 4321))).isEqualTo(java.util.Arrays.copyOfRange(content, 1234, 1234 + 4321));
        assertThat(read(store().getRange(key, 9_990, 1_000))).isEqualTo(java.util.Arrays.copyOfRange(content, 9_990, 10_000));
    }

    @Test
    void putReplacesAnExistingObject() throws Exception {
        String key = key("replaced");
        put(key, bytes(500));
        byte[] second = bytes(900);
        put(key, second);
        assertThat(store().head(key).orElseThrow().size()).isEqualTo(900);
        assertThat(read(store().get(key))).isEqualTo(second);
    }

    @Test
    void putWithAWrongChecksumPublishesNothingAndKeepsThePreviousObject() throws Exception {
        String key = key("guarded");
        byte[] original = bytes(800);
        put(key, original);
        byte[] other = bytes(800);
        Crc32c.Digest d = Crc32c.of(other);

        assertThatThrownBy(() -> store().put(key, file(other), d.size(), d.crc32c() ^ 1, StorageTier.WARM))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CHECKSUM_MISMATCH))
                .hasMessageContaining(key);
        assertThat(read(store().get(key))).isEqualTo(original);

        String fresh = key("never-written");
        assertThatThrownBy(() -> store().put(fresh, file(other), d.size() + 1, d.crc32c(), StorageTier.WARM))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CHECKSUM_MISMATCH));
        assertThat(store().head(fresh)).isEmpty();
    }

    @Test
    void largeObjectsRoundTrip() throws Exception {
        // Above the S3 tests' multipart threshold, so it goes up in parts there.
        byte[] content = bytes(11 * 1024 * 1024 + 17);
        String key = key("large/events.out.tfevents.1700000001.node.00000001.athanor");
        ObjectInfo stored = put(key, content);
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(Crc32c.of(store().get(key))).isEqualTo(Crc32c.of(content));
        assertThat(read(store().getRange(key, 6 * 1024 * 1024 - 3, 10))).isEqualTo(
                java.util.Arrays.copyOfRange(content, 6 * 1024 * 1024 - 3, 6 * 1024 * 1024 + 7));
    }

    @Test
    void listReturnsEveryObjectUnderAPlainStringPrefixSorted() throws Exception {
        put(key("exp/run1/b"), bytes(3));
        put(key("exp/run1/a"), bytes(4));
        put(key("exp/run1/deeper/c"), bytes(5));
        put(key("exp/run10/d"), bytes(6));
        put(key("other/e"), bytes(7));

        assertThat(store().list(key("exp/run1/")).stream().map(ObjectInfo::key).toList())
                .containsExactly(key("exp/run1/a"), key("exp/run1/b"), key("exp/run1/deeper/c"));
        List<ObjectInfo> both = store().list(key("exp/run1"));
        assertThat(both.stream().map(ObjectInfo::key).toList())
                .containsExactly(key("exp/run1/a"), key("exp/run1/b"), key("exp/run1/deeper/c"), key("exp/run10/d"));
        assertThat(both.get(3).size()).isEqualTo(6);
        assertThat(store().list(key("nothing-here/"))).isEmpty();
    }

    @Test
    void keysWithSpacesAndUnicodeRoundTrip() throws Exception {
        String key = key("my project/expé rience ü/run 1/events.out.tfevents.1.node.00000002.athanor");
        byte[] content = bytes(123);
        put(key, content);
        assertThat(read(store().get(key))).isEqualTo(content);
        assertThat(store().list(key("my project/")).stream().map(ObjectInfo::key).toList()).containsExactly(key);
    }

    @Test
    void deleteRemovesAndIsIdempotent() throws Exception {
        String key = key("deleted");
        put(key, bytes(10));
        store().delete(key);
        assertThat(store().head(key)).isEmpty();
        store().delete(key);
        assertThatThrownBy(() -> store().get(key)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
    }

    @Test
    void missingObjectsAreEmptyOnHeadAndNotFoundOnGet() throws Exception {
        assertThat(store().head(key("missing"))).isEmpty();
        assertThatThrownBy(() -> store().get(key("missing"))).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
    }

    @Test
    void tierChangesKeepTheBytes() throws Exception {
        String key = key("tiered");
        byte[] content = bytes(2_000);
        put(key, content);

        store().setTier(key, StorageTier.COLD);
        ObjectInfo cold = store().head(key).orElseThrow();
        assertThat(cold.tier()).isEqualTo(StorageTier.COLD);
        assertThat(cold.size()).isEqualTo(content.length);

        store().setTier(key, StorageTier.WARM);
        assertThat(store().head(key).orElseThrow().tier()).isEqualTo(StorageTier.WARM);
        assertThat(read(store().get(key))).isEqualTo(content);
    }

    @Test
    void putStraightIntoTheColdTier() throws Exception {
        String key = key("born-cold");
        byte[] content = bytes(64);
        Crc32c.Digest d = Crc32c.of(content);
        assertThat(store().put(key, file(content), d.size(), d.crc32c(), StorageTier.COLD).tier()).isEqualTo(StorageTier.COLD);
        assertThat(store().head(key).orElseThrow().tier()).isEqualTo(StorageTier.COLD);
    }

    @Test
    void unsafeKeysAreRefusedByEveryOperation() throws Exception {
        Path source = file(bytes(5));
        Crc32c.Digest d = Crc32c.of(source);
        for (String bad : List.of("../escape", prefix + "../../escape", "/absolute", prefix + "a//b", prefix + "a/./b",
                prefix + "back\\slash", prefix + "ctl\u0001", prefix + "folder/", "")) {
            assertThatThrownBy(() -> store().put(bad, source, d.size(), d.crc32c(), StorageTier.WARM))
                    .as("put %s", bad)
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID_KEY));
            assertThatThrownBy(() -> store().head(bad)).as("head %s", bad).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store().get(bad)).as("get %s", bad).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store().delete(bad)).as("delete %s", bad).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void uriNamesTheObject() throws Exception {
        String key = key("proj/exp/run/seg");
        URI uri = store().uri(key);
        assertThat(uri.toString()).endsWith("/proj/exp/run/seg");
    }

    @Test
    void presignedUrlsServeTheObjectWhereSupported() throws Exception {
        String key = key("shared/events.out.tfevents.1.node.00000003.athanor");
        byte[] content = bytes(3_000);
        put(key, content);
        Optional<URI> url = store().presignGet(key, Duration.ofMinutes(5));
        assertThat(url.isPresent()).isEqualTo(presignSupported());
        if (url.isPresent()) {
            checkPresigned(url.get(), content);
        }
    }
}
