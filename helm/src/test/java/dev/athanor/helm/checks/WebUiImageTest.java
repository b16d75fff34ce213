package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.RepoPaths;
import dev.athanor.helm.render.ValuesSet;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The web UI image the chart runs is the one web-ui/pom.xml describes (web-ui/Dockerfile builds it). */
class WebUiImageTest {

    @Test
    void theChartRunsTheWebUiImageAndTagThePomDescribes() throws Exception {
        Path pom = RepoPaths.root().resolve("web-ui/pom.xml");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element properties = (Element) document.getDocumentElement().getElementsByTagName("properties").item(0);
        String name = properties.getElementsByTagName("athanor.image.name").item(0).getTextContent().trim();
        String tag = resolve(properties.getElementsByTagName("athanor.image.tag").item(0).getTextContent().trim());

        String image = ChartRendering.render(ValuesSet.DEFAULT).containers().get("Deployment/athanor-web-ui/web-ui").getImage();
        assertThat(image).isEqualTo(name + ":" + tag);
    }

    /** ${project.version} is the only property the tag may use. */
    private static String resolve(String tag) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(tag);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            assertThat(m.group(1)).as("web-ui image tag property").isEqualTo("project.version");
            m.appendReplacement(out, Matcher.quoteReplacement(RepoPaths.projectVersion()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
