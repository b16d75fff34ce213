package dev.athanor.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.cli.testing.Cli;
import org.junit.jupiter.api.Test;

/** How {@code --from} tells a bucket URL from a folder, and what it refuses before reaching anything. */
class BucketUrlTest {

    @Test
    void aBucketUrlNamesTheExperimentsKeysWithATrailingSlash() {
        BucketUrl s3 = BucketUrl.parse("s3://replicas/from-a/default/live/").orElseThrow();
        assertThat(s3).isEqualTo(new BucketUrl("s3", "replicas", "from-a/default/live/"));
        assertThat(s3.lastPart()).isEqualTo("live");
        assertThat(BucketUrl.parse("gs://b/athanor/p/exp").orElseThrow().keyPrefix()).isEqualTo("athanor/p/exp/");
        assertThat(BucketUrl.parse("/srv/archive/athanor/default/live")).isEmpty();
    }

    @Test
    void otherSchemesAndWholeBucketsAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> BucketUrl.parse("https://example.org/x")).hasMessageContaining("only s3://");
        assertThatThrownBy(() -> BucketUrl.parse("s3://replicas")).hasMessageContaining("names a whole bucket");
        assertThatThrownBy(() -> BucketUrl.parse("s3://replicas/")).hasMessageContaining("names a whole bucket");
        Cli.Outcome outcome = Cli.run("import", "--from", "s3://replicas", "--endpoint", "127.0.0.1:1");
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("s3://replicas/<prefix>/<project>/<experiment>");
    }

    @Test
    void anUnreachableBucketFailsNamingIt() {
        Cli.Outcome outcome = Cli.run("import", "--from", "s3://replicas/athanor/default/live", "--endpoint",
                "127.0.0.1:1", "--s3-endpoint", "http://127.0.0.1:1", "--s3-path-style", "true", "--s3-region",
                "us-east-1");
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("cannot read s3://replicas/athanor/default/live/");
    }
}
