package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.RepoPaths;
import dev.athanor.helm.render.ValuesSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The images the chart runs are the ones the build makes: deploy/containers/build-images.sh is the
 * one recipe of every image, and its {@code --list} says which name and tag each gets.
 */
class ImagesMatchBuildTest {

    @Test
    void theChartVersionAndAppVersionAreTheProjectVersion() throws IOException {
        JsonNode chart = new ObjectMapper(new YAMLFactory()).readTree(RepoPaths.chart().resolve("Chart.yaml").toFile());

        assertThat(chart.get("appVersion").asText()).isEqualTo(RepoPaths.projectVersion());
        assertThat(chart.get("version").asText()).isEqualTo(RepoPaths.projectVersion());
    }

    @ParameterizedTest
    @CsvSource({
        "ingest, StatefulSet/athanor-ingest/ingest",
        "archive, StatefulSet/athanor-ingest/archive",
        "query, Deployment/athanor-query/query",
        "web-ui, Deployment/athanor-web-ui/web-ui",
    })
    void eachContainerRunsTheImageTheBuildMakes(String name, String container) throws Exception {
        String built = builtImages().get(name);
        assertThat(built).as("build-images.sh --list names %s", name).endsWith(":" + RepoPaths.projectVersion());

        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);
        assertThat(manifests.containers().get(container).getImage()).isEqualTo(built);
        Manifests mirrored = ChartRendering.render(ValuesSet.DEFAULT, Map.of("image.registry", "registry.example.com:5000/team"));
        assertThat(mirrored.containers().get(container).getImage()).isEqualTo("registry.example.com:5000/team/" + built);
    }

    /** NAME → image, as {@code build-images.sh --list} prints them (it builds nothing then). */
    static Map<String, String> builtImages() throws Exception {
        Process p = new ProcessBuilder("bash", RepoPaths.root().resolve("deploy/containers/build-images.sh").toString(),
                "--list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> images = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            images.put(parts[0], parts[1]);
        }
        assertThat(images).containsOnlyKeys("ingest", "archive", "query", "web-ui", "uploader");
        return images;
    }
}
