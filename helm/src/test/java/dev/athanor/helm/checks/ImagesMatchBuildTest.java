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
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The images the chart runs are the ones the build describes, with the same tags. */
class ImagesMatchBuildTest {

    @Test
    void theChartVersionAndAppVersionAreTheProjectVersion() throws IOException {
        JsonNode chart = new ObjectMapper(new YAMLFactory()).readTree(RepoPaths.chart().resolve("Chart.yaml").toFile());

        assertThat(chart.get("appVersion").asText()).isEqualTo(RepoPaths.projectVersion());
        assertThat(chart.get("version").asText()).isEqualTo(RepoPaths.projectVersion());
    }

    @ParameterizedTest
    @CsvSource({
        "ingest-service, StatefulSet/athanor-ingest/ingest",
        "query-service, Deployment/athanor-query/query",
        "archive-service, StatefulSet/athanor-ingest/archive",
    })
    void eachQuarkusServiceRunsTheImageItsBuildDescribes(String module, String container) throws IOException {
        String described = describedImage(module);

        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);
        assertThat(manifests.containers().get(container).getImage()).isEqualTo(described);
        Manifests mirrored = ChartRendering.render(ValuesSet.DEFAULT, Map.of("image.registry", "registry.example.com:5000/team"));
        assertThat(mirrored.containers().get(container).getImage()).isEqualTo("registry.example.com:5000/team/" + described);
    }

    /**
     * group/name:tag from the module's quarkus.container-image.* settings, resolved as Quarkus does:
     * an unset tag or ${quarkus.application.version} is the Maven project version.
     */
    private static String describedImage(String module) throws IOException {
        Path file = RepoPaths.root().resolve(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        String group = properties.getProperty("quarkus.container-image.group");
        String name = properties.getProperty("quarkus.container-image.name");
        assertThat(group).as("%s sets quarkus.container-image.group", file).isNotBlank();
        assertThat(name).as("%s sets quarkus.container-image.name", file).isNotBlank();
        assertThat(properties.getProperty("quarkus.container-image.registry"))
                .as("%s: the registry is chosen at install time (image.registry), not in the build", file).isNull();
        String tag = properties.getProperty("quarkus.container-image.tag", "${quarkus.application.version}");
        if (tag.equals("${quarkus.application.version}")) {
            tag = RepoPaths.projectVersion();
        }
        return group + "/" + name + ":" + tag;
    }
}
