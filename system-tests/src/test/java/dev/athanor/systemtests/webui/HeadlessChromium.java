package dev.athanor.systemtests.webui;

import dev.athanor.testing.OptionalPart;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven through its own chromedriver. Both paths are given to Selenium, so
 * Selenium Manager never runs (nothing is downloaded). Tests skip, saying why, only when the
 * browser or the driver is missing ({@code apt-get install chromium chromium-driver}).
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "web-ui-screenshots");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts chromium, or skips the calling test when it is not installed. */
    static HeadlessChromium startOrSkip() {
        Optional<Path> browser = executable("ATHANOR_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        Optional<Path> driver = executable("ATHANOR_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        OptionalPart.CHROMIUM.assumePresent(browser.isPresent() && driver.isPresent(),
                "web UI browser tests skipped: Debian's chromium and chromium-driver are not installed "
                        + "(apt-get install -y chromium chromium-driver, or set ATHANOR_CHROMIUM / ATHANOR_CHROMEDRIVER)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,900", "--force-device-scale-factor=1", "--lang=en-US");
        // The browser console is kept, so tests can fail on script errors.
        // ... and the network log, so a test can see the headers the page sent.
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL", "performance", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(chrome);
    }

    private static Optional<Path> executable(String variable, String... candidates) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits (up to 60 s: a shared 2-core machine) until the condition holds, and returns its value. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, condition, Duration.ofSeconds(60));
    }

    /** Waits up to {@code within} (work the server does first, such as indexing a big trace). */
    <T> T await(String what, Function<WebDriver, T> condition, Duration within) {
        try {
            return new WebDriverWait(driver, within, Duration.ofMillis(100)).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " on " + driver.getCurrentUrl(), e);
        }
    }

    WebElement awaitElement(String css) {
        return await(css, d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Script errors logged by the page since the last call. Failed network requests are left out:
     * an absent optional endpoint (404) is a state the UI shows, not a bug.
     */
    List<String> scriptErrors() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
    }

    /**
     * The DevTools events (Network.*, Page.*) logged since the last call, oldest first, each the
     * {@code message} object: {@code method} and {@code params}. Reading drains the log.
     */
    List<com.fasterxml.jackson.databind.JsonNode> devtoolsEvents() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
        for (org.openqa.selenium.logging.LogEntry entry : driver.manage().logs().get(org.openqa.selenium.logging.LogType.PERFORMANCE)) {
            try {
                events.add(json.readTree(entry.getMessage()).path("message"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    /** URLs of the requests among {@code events} (from {@link #devtoolsEvents()}) whose URL contains {@code urlPart}. */
    static List<String> requestUrls(List<com.fasterxml.jackson.databind.JsonNode> events, String urlPart) {
        return events.stream()
                .filter(e -> "Network.requestWillBeSent".equals(e.path("method").asText()))
                .map(e -> e.path("params").path("request").path("url").asText())
                .filter(url -> url.contains(urlPart))
                .toList();
    }

    /** How many frames (iframes, at any depth) were attached among {@code events}. */
    static long framesAttached(List<com.fasterxml.jackson.databind.JsonNode> events) {
        return events.stream().filter(e -> "Page.frameAttached".equals(e.path("method").asText())).count();
    }

    /** Request headers of every request the page sent to a URL containing {@code urlPart} since the last call. */
    List<java.util.Map<String, String>> requestHeaders(String urlPart) {
        List<java.util.Map<String, String>> found = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode message : devtoolsEvents()) {
            com.fasterxml.jackson.databind.JsonNode request = message.path("params").path("request");
            if ("Network.requestWillBeSent".equals(message.path("method").asText()) && request.path("url").asText().contains(urlPart)) {
                java.util.Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                request.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
                found.add(headers);
            }
        }
        return found;
    }

    /** Runs a DevTools command (e.g. {@code Network.clearBrowserCookies}) and returns its result. */
    java.util.Map<String, Object> devtools(String command, java.util.Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    /** Saves a PNG of the window under target/web-ui-screenshots/NAME.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
