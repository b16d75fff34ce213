package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.TestKeycloak;
import dev.athanor.systemtests.harness.AuthSuite;
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
 * access token as a bearer token (seen in the browser's network log). Renewal: the refresh token
 * when there is one, else one hidden iframe that lands on silent-callback.html, never the app
 * itself; without a session the browser goes to the login form with no iframe at all.
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
        forgetSession();
        long started = System.nanoTime();
        browser.open(suite.server() + "/#/");
        browser.awaitElement("#username");
        System.out.printf("web UI without a session: Keycloak's login form after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        String login = browser.driver().getCurrentUrl();
        assertThat(login).startsWith(keycloak.issuer(TestKeycloak.QUICK_REALM))
                .contains("client_id=" + AthanorRealm.WEB_CLIENT).contains("code_challenge_method=S256");
        List<JsonNode> beforeLogin = browser.devtoolsEvents();
        assertThat(HeadlessChromium.framesAttached(beforeLogin)).as("iframes before the login form, with no session to renew").isZero();
        assertThat(HeadlessChromium.requestUrls(beforeLogin, "prompt=none")).as("silent sign-in attempts").isEmpty();

        signInOnKeycloak();

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

    @Test
    void anExpiredTokenWithoutARefreshTokenIsRenewedInOneHiddenFrameOnTheKeycloakSession() {
        signInFresh();
        String before = storedUser().get("access_token").toString();
        expireStoredUser(true);
        browser.devtoolsEvents();
        reloadAt("#/?renewed");

        assertThat(browser.awaitElement(".auth-user").getText()).isEqualTo(AthanorRealm.DEMO_READER.username());
        assertThat(browser.driver().getCurrentUrl()).as("no trip to the issuer's page").startsWith(suite.server()).endsWith("#/?renewed");
        List<JsonNode> events = browser.devtoolsEvents();
        assertThat(HeadlessChromium.requestUrls(events, "/protocol/openid-connect/auth"))
                .as("authorization requests: one, silent").singleElement().asString().contains("prompt=none");
        assertThat(HeadlessChromium.requestUrls(events, "/silent-callback.html"))
                .as("the hidden frame lands on the silent callback page with a code").singleElement().asString().contains("code=");
        assertThat(HeadlessChromium.framesAttached(events)).as("frames attached").isEqualTo(1);
        assertThat(storedUser().get("access_token")).as("a new access token").isNotEqualTo(before);
        assertThat(browser.all("iframe")).as("the hidden frame is removed once done").isEmpty();
    }

    @Test
    void automaticRenewalUsesTheRefreshTokenWithoutFramesOrLeavingThePage() {
        signInFresh();
        Object before = storedUser().get("access_token");
        // Sixty-five seconds left: oidc-client-ts renews sixty seconds before expiry, so in about five.
        browser.script("""
                const key = Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:'));
                const user = JSON.parse(sessionStorage.getItem(key));
                user.expires_at = Math.floor(Date.now() / 1000) + 65;
                sessionStorage.setItem(key, JSON.stringify(user));""");
        reloadAt("#/");
        browser.awaitElement(".auth-user");
        browser.script("window.athanorPageMarker = 'still here'");
        browser.devtoolsEvents();

        browser.await("a renewed access token", d -> !before.equals(storedUser().get("access_token")));

        assertThat(browser.script("return window.athanorPageMarker")).as("the page was not reloaded").isEqualTo("still here");
        List<JsonNode> events = browser.devtoolsEvents();
        assertThat(HeadlessChromium.requestUrls(events, "/protocol/openid-connect/token")).as("refresh-token grant").isNotEmpty();
        assertThat(HeadlessChromium.requestUrls(events, "/protocol/openid-connect/auth")).as("authorization requests").isEmpty();
        assertThat(HeadlessChromium.framesAttached(events)).as("frames attached").isZero();
    }

    @Test
    void withTheKeycloakSessionGoneTheOneSilentAttemptEndsPromptlyOnTheLoginForm() {
        signInFresh();
        expireStoredUser(true);
        browser.devtools("Network.clearBrowserCookies", Map.of());
        browser.devtoolsEvents();
        long started = System.nanoTime();
        reloadAt("#/");

        browser.awaitElement("#username");
        System.out.printf("web UI with an expired session: Keycloak's login form after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        List<JsonNode> events = browser.devtoolsEvents();
        assertThat(HeadlessChromium.requestUrls(events, "prompt=none")).as("silent attempts").hasSize(1);
        assertThat(HeadlessChromium.requestUrls(events, "/silent-callback.html"))
                .singleElement().asString().contains("error=login_required");
        assertThat(HeadlessChromium.framesAttached(events)).as("frames attached").isEqualTo(1);
    }

    @Test
    void anErrorAnswerFromTheIssuerIsShownWithAWayToTryAgainInsteadOfALoop() {
        forgetSession();
        browser.open(suite.server() + "/?error=access_denied&error_description=denied%20by%20the%20test&state=0123456789abcdef#/");

        String shown = browser.awaitElement(".notice-error").getText();
        assertThat(shown).contains("Sign-in did not finish").contains("denied by the test");
        assertThat(browser.driver().getCurrentUrl()).as("the error is gone from the address bar").startsWith(suite.server()).doesNotContain("error=");
        browser.devtoolsEvents();
        browser.driver().findElement(By.cssSelector(".sign-in-again")).click();
        browser.awaitElement("#username");
    }

    @Test
    void theAppFramedByAPageDoesNotStartASignIn() {
        signInFresh();
        browser.devtoolsEvents();
        browser.script("""
                const frame = document.createElement('iframe');
                frame.id = 'framed-app';
                frame.src = location.origin + '/#/';
                document.body.append(frame);""");
        browser.driver().switchTo().frame("framed-app");
        try {
            assertThat(browser.awaitElement(".notice-error").getText()).contains("inside a frame");
        } finally {
            browser.driver().switchTo().defaultContent();
        }
        assertThat(HeadlessChromium.requestUrls(browser.devtoolsEvents(), "/protocol/openid-connect/")).as("calls to the issuer").isEmpty();
    }

    @Test
    void aReaderSeesARunsNoteButNoEditControls() throws Exception {
        // The demo project's pod uploads a small sweep with its own client credentials, as in production.
        java.nio.file.Path temp = java.nio.file.Files.createTempDirectory(suite.home(), "web-reader-");
        java.nio.file.Path logdir = temp.resolve("logs");
        dev.athanor.cli.testing.SmallSweep.write(logdir);
        java.nio.file.Path secret = java.nio.file.Files.writeString(temp.resolve("uploader-demo.secret"), "uploader-demo-dev-secret\n");
        dev.athanor.cli.testing.Cli.Outcome upload = dev.athanor.cli.testing.Cli.run("upload", "--once", "--progress", "QUIET",
                "--retry-timeout", "PT30S", "--logdir", logdir.toString(), "--experiment", "web-reader", "--project", "demo",
                "--endpoint", suite.grpcEndpoint(), "--issuer", keycloak.issuer(TestKeycloak.QUICK_REALM),
                "--client-id", "uploader-demo", "--client-secret-file", secret.toString());
        assertThat(upload.exitCode()).as("upload as the demo pod: " + upload).isZero();

        signInFresh();
        browser.open(suite.server() + "/#/");
        browser.awaitElement("a[data-experiment-id]");
        String experiment = browser.await("the uploaded experiment", d -> d.findElements(By.cssSelector("a[data-experiment-id]")).stream()
                .filter(a -> a.getText().equals("web-reader")).findFirst().map(a -> a.getDomAttribute("data-experiment-id")).orElse(null));
        browser.open(suite.server() + "/#/e/" + experiment + "/scalars?runs=");
        browser.await("the runs", d -> !d.findElements(By.cssSelector(".runs-row[data-run-path='good'] .run-open")).isEmpty());
        browser.awaitElement(".runs-row[data-run-path='good'] .run-open").click();
        browser.await("the run page", d -> "true".equals(browser.script("return document.querySelector('.run-page')?.dataset.loaded")));
        assertThat(browser.all(".run-page .read-only")).as("the reader is told why there is no form").hasSize(1);
        assertThat(browser.all(".run-page form, .run-page input, .run-page textarea, .run-page button.run-save"))
                .as("edit controls a reader would be refused on").isEmpty();
        browser.screenshot("run-page-reader");
    }

    /** No Keycloak session and nothing in the tab's session storage. */
    private void forgetSession() {
        browser.devtools("Network.clearBrowserCookies", Map.of());
        browser.open(suite.server() + "/api/v1/none"); // same origin, and no app to start a sign-in
        browser.script("sessionStorage.clear()");
    }

    /** A fresh sign-in of the demo reader, ending on the app. */
    private void signInFresh() {
        forgetSession();
        browser.open(suite.server() + "/#/");
        browser.awaitElement("#username");
        signInOnKeycloak();
        browser.awaitElement(".auth-user");
    }

    private void signInOnKeycloak() {
        browser.driver().findElement(By.id("username")).sendKeys(AthanorRealm.DEMO_READER.username());
        browser.driver().findElement(By.id("password")).sendKeys(AthanorRealm.DEMO_READER.password());
        browser.driver().findElement(By.id("kc-login")).click();
    }

    /** Loads the app afresh at {@code hash} (a plain open of a URL differing only in its hash would not reload). */
    private void reloadAt(String hash) {
        browser.script("history.replaceState(null, '', arguments[0])", hash);
        browser.driver().navigate().refresh();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> storedUser() {
        Object user = browser.script("""
                const key = Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:'));
                return key ? JSON.parse(sessionStorage.getItem(key)) : null;""");
        assertThat(user).as("the signed-in user in session storage").isNotNull();
        return (Map<String, Object>) user;
    }

    /** Makes the stored access token expired, optionally dropping the refresh token, as after a long sleep. */
    private void expireStoredUser(boolean dropRefreshToken) {
        browser.script("""
                const key = Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:'));
                const user = JSON.parse(sessionStorage.getItem(key));
                user.expires_at = Math.floor(Date.now() / 1000) - 10;
                if (arguments[0]) delete user.refresh_token;
                sessionStorage.setItem(key, JSON.stringify(user));""", dropRefreshToken);
    }
}
