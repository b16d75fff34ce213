package dev.athanor.query.info;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.athanor.query.info.api.InfoResource;
import dev.athanor.query.info.api.ServiceInfo;
import dev.athanor.query.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class InfoResourceTest {

    @Test
    void authOffSaysSoWithoutSignInSettings() {
        given().get("/api/v1/info").then().statusCode(200)
                .body("version", notNullValue())
                .body("auth.enabled", equalTo(false))
                .body("auth", not(hasKey("issuer")))
                .body("auth", not(hasKey("clientId")))
                .body("dataProvider.port", equalTo(ConfigProvider.getConfig()
                        .getValue("athanor.query.data-provider.port", Integer.class)));
    }

    @Test
    void theDataProviderPortIsAdvertisedUnlessChosenAtStart() {
        assertThat(new InfoResource("1", false, Optional.empty(), Optional.empty(), "c", "s", 9190).info()
                .dataProvider()).isEqualTo(new ServiceInfo.DataProvider(9190));
        assertThat(new InfoResource("1", false, Optional.empty(), Optional.empty(), "c", "s", 0).info()
                .dataProvider()).isNull();
    }

    @Test
    void authOnGivesTheWebUiWhatItNeedsForCodeWithPkce() {
        ServiceInfo.Auth auth = new InfoResource("1.2.3", true, Optional.of("http://keycloak:8080/realms/athanor"),
                Optional.empty(), "athanor-web", "openid profile email", 9190).info().auth();
        assertThat(auth).isEqualTo(new ServiceInfo.Auth(true, "http://keycloak:8080/realms/athanor",
                "athanor-web", "openid profile email"));
    }

    @Test
    void theBrowserIssuerOverridesTheOneTheServiceUses() {
        ServiceInfo.Auth auth = new InfoResource("1.2.3", true, Optional.of("http://keycloak.internal/realms/athanor"),
                Optional.of("https://login.example/realms/athanor"), "athanor-web", "openid", 9190).info().auth();
        assertThat(auth.issuer()).isEqualTo("https://login.example/realms/athanor");
    }
}
