package dev.athanor.testing.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.CookieStore;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person approving (or denying) a device login in Keycloak's pages, without a browser: plain
 * HTTP with a cookie jar, posting the login form and then the consent form ("Grant access to
 * Athanor CLI?", which Keycloak always shows for the device grant). For tests of {@code athanor login}.
 */
public final class DeviceVerification {

    private static final Pattern LOGIN_FORM = Pattern.compile(
            "<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern CONSENT_FORM = Pattern.compile(
            "<form[^>]*action=\"([^\"]*login-actions/consent[^\"]*)\"", Pattern.DOTALL);
    private static final Pattern CODE_INPUT = Pattern.compile(
            "<input[^>]*name=\"code\"[^>]*value=\"([^\"]*)\"", Pattern.DOTALL);

    private DeviceVerification() {
    }

    /** Signs in as {@code username} on {@code verificationUriComplete} and grants the access. */
    public static void approve(URI verificationUriComplete, String username, String password) {
        answer(verificationUriComplete, username, password, true);
    }

    /** Signs in, then answers "No" on the consent page: the CLI's poll gets {@code access_denied}. */
    public static void deny(URI verificationUriComplete, String username, String password) {
        answer(verificationUriComplete, username, password, false);
    }

    private static void answer(URI verificationUriComplete, String username, String password, boolean grant) {
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(new LoopbackCookies(), CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> loginPage = send(http, HttpRequest.newBuilder(verificationUriComplete).GET());
        String loginAction = find(LOGIN_FORM, loginPage, "the login form");
        HttpResponse<String> consentPage = send(http, post(loginPage.uri().resolve(loginAction),
                form("username", username, "password", password, "credentialId", "")));
        String consentAction = find(CONSENT_FORM, consentPage, "the consent form (wrong password?)");
        String code = find(CODE_INPUT, consentPage, "the consent form's code");
        HttpResponse<String> done = send(http, post(consentPage.uri().resolve(consentAction),
                grant ? form("code", code, "accept", "Yes") : form("code", code, "cancel", "No")));
        // Keycloak then redirects to /device/status, which answers 404 in 26.x; the login is decided.
        if (done.statusCode() >= 500) {
            throw new IllegalStateException("Keycloak failed on the consent answer: HTTP " + done.statusCode()
                    + " at " + done.uri());
        }
    }

    /**
     * Keycloak marks its session cookies {@code Secure}. Browsers (and curl) treat loopback
     * {@code http://127.0.0.1} as a secure context and send them back; the JDK's cookie manager
     * does not, so this store drops the flag (only ever used against a loopback test server).
     */
    private static final class LoopbackCookies implements CookieStore {
        private final CookieStore store = new CookieManager().getCookieStore();

        @Override
        public void add(URI uri, HttpCookie cookie) {
            cookie.setSecure(false);
            store.add(uri, cookie);
        }

        @Override
        public List<HttpCookie> get(URI uri) {
            return store.get(uri);
        }

        @Override
        public List<HttpCookie> getCookies() {
            return store.getCookies();
        }

        @Override
        public List<URI> getURIs() {
            return store.getURIs();
        }

        @Override
        public boolean remove(URI uri, HttpCookie cookie) {
            return store.remove(uri, cookie);
        }

        @Override
        public boolean removeAll() {
            return store.removeAll();
        }
    }

    private static String find(Pattern pattern, HttpResponse<String> page, String what) {
        Matcher m = pattern.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("did not find " + what + " on " + page.uri() + " (HTTP " + page.statusCode() + ")");
        }
        return m.group(1).replace("&amp;", "&");
    }

    private static HttpRequest.Builder post(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String form(String... keyValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.put(keyValues[i], keyValues[i + 1]);
        }
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
