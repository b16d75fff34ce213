package dev.athanor.helm.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
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
 * A person's browser for the container run: Debian's headless chromium through its own
 * chromedriver (both paths given, so Selenium Manager never downloads anything).
 */
final class PersonsBrowser implements AutoCloseable {

    private final ChromeDriver driver;

    private PersonsBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Where chromium and chromedriver are, or why not. */
    record Found(Path browser, Path driver) {
        static Optional<Found> onThisMachine() {
            Optional<Path> browser = first("/usr/bin/chromium", "/usr/bin/chromium-browser");
            Optional<Path> driver = first("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
            return browser.isPresent() && driver.isPresent() ? Optional.of(new Found(browser.get(), driver.get())) : Optional.empty();
        }

        private static Optional<Path> first(String... candidates) {
            return Stream.of(candidates).map(Path::of).filter(Files::isExecutable).findFirst();
        }
    }

    static PersonsBrowser start(Found found) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(found.browser().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(found.driver().toFile())
                .usingAnyFreePort().build();
        return new PersonsBrowser(new ChromeDriver(service, options));
    }

    void open(String url) {
        driver.get(url);
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Waits up to two minutes (a shared 2-core machine running five containers) until the condition holds. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofMinutes(2), Duration.ofMillis(200)).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " on " + driver.getCurrentUrl(), e);
        }
    }

    WebElement awaitElement(String css) {
        return await(css, d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    void type(String id, String text) {
        driver.findElement(By.id(id)).sendKeys(text);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a PNG of the window (what the person saw) as {@code file}. */
    void screenshot(Path file) throws java.io.IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
