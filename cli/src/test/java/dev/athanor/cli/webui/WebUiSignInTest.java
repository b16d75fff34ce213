package dev.athanor.cli.webui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.cli.testing.AuthSuite;
import dev.athanor.cli.testing.TestKeycloak;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.KeycloakServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * Sign-in with auth on, against the real Keycloak and the real suite: the UI reads
 * /api/v1/info, sends the browser to the realm with a PKCE (S256) challenge, a demo user signs in
 * on Keycloak's own form, the code comes back and is exchanged, and the UI calls the API with the
 * access token as a bearer token (seen in the browser's network log).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiSignInTest {

    private HeadlessChromium browser;
    private KeycloakServer keycloak;
    private AuthSuite suite;

    @BeforeAll
    void start() {
        browser = HeadlessChromium.startOrSkip();
        keycloak = TestKeycloak.get();
        suite = AuthSuite.start(keycloak.issuer(TestKeycloak.QUICK_REALM));
    }

    @AfterAll
    void stop() {
        if (suite != null) {
            suite.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPersonSignsInWithCodeAndPkceAndTheApiGetsTheBearerToken() {
        browser.open(suite.server() + "/#/");
        browser.awaitElement("#username");
        String login = browser.driver().getCurrentUrl();
        assertThat(login).startsWith(keycloak.issuer(TestKeycloak.QUICK_REALM))
                .contains("client_id=" + AthanorRealm.WEB_CLIENT).contains("code_challenge_method=S256");
        browser.requestHeaders("/api/v1/");

        browser.driver().findElement(By.id("username")).sendKeys(AthanorRealm.DEMO_READER.username());
        browser.driver().findElement(By.id("password")).sendKeys(AthanorRealm.DEMO_READER.password());
        browser.driver().findElement(By.id("kc-login")).click();

        assertThat(browser.awaitElement(".auth-user").getText()).isEqualTo(AthanorRealm.DEMO_READER.username());
        assertThat(browser.all(".auth-off")).isEmpty();
        browser.await("the experiment list", d -> !d.findElements(By.cssSelector(".browser table, .browser .notice:not(.notice-info)")).isEmpty());
        assertThat(browser.all(".browser .notice-error")).isEmpty();
        assertThat(browser.driver().getCurrentUrl()).as("the code is gone from the address bar").doesNotContain("code=");

        List<Map<String, String>> calls = browser.requestHeaders("/api/v1/experiments");
        assertThat(calls).as("calls to /api/v1/experiments after sign-in").isNotEmpty();
        assertThat(calls).allSatisfy(headers -> assertThat(headers.get("Authorization")).startsWith("Bearer ey"));
        browser.screenshot("signed-in");
    }
}
