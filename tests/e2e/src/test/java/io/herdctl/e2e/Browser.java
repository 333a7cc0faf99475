package io.herdctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium session, driven through chromedriver. Both come from the
 * Debian packages {@code chromium} and {@code chromium-driver} (or from
 * {@code HERDCTL_CHROMIUM} and {@code HERDCTL_CHROMEDRIVER}); Selenium Manager is
 * never consulted, because the driver is handed to the service, so nothing is
 * downloaded.
 *
 * <p>The browser only ever talks to loopback: {@link #open} refuses any other
 * host, and Chromium's own proxy is pointed at a dead loopback port, so any
 * request it makes elsewhere (updates, safe browsing, a stray link) fails on this
 * machine instead of leaving it. Loopback is never proxied by Chromium.
 *
 * <p>Screenshots and page sources go to {@code target/screenshots} of this
 * module as {@code <TestClass>-<name>.png}. The console is recorded from the
 * start, so a test can assert that no script failed (or that none ran).
 */
final class Browser implements AutoCloseable {

    private static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DEBIAN_CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Nothing listens here; Chromium's traffic to anything but loopback ends at it. */
    private static final String DEAD_PROXY = "127.0.0.1:9";
    private static final Pattern FAVICON_MISSING = Pattern.compile("^\\S+/favicon\\.ico - Failed to load resource");

    /*
     * Nothing here uses CDP, so no selenium-devtools-vNNN is on the classpath, and Selenium would warn so at every
     * session start. Held in a field: java.util.logging forgets the level of a logger nobody references.
     */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private final String owner;
    private final Path artifacts;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(String owner, Path artifacts, ChromeDriverService service, ChromeDriver driver) {
        this.owner = owner;
        this.artifacts = artifacts;
        this.service = service;
        this.driver = driver;
    }

    /** Starts a session whose files are named after {@code testClass}. */
    static Browser start(Class<?> testClass) {
        String owner = testClass.getSimpleName();
        Path chromium = executable("HERDCTL_CHROMIUM", DEBIAN_CHROMIUM, "chromium");
        Path chromedriver = executable("HERDCTL_CHROMEDRIVER", DEBIAN_CHROMEDRIVER, "chromium-driver");
        Path artifacts = artifactsDir();
        // Also for any code path that looks the driver up by property rather than through our service.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver.toString());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--window-size=1280,900",
                "--proxy-server=" + DEAD_PROXY);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(artifacts.resolve(owner + "-chromedriver.log").toFile())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(owner, artifacts, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** Loads {@code url}, which must be on loopback, and waits for the page's load event. */
    void open(String url) {
        URI uri = URI.create(url);
        if (!isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("browser tests only open loopback addresses, not " + url);
        }
        driver.get(url);
    }

    /** The first element matching {@code by} once it is visible. */
    WebElement waitFor(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout)
                .withMessage(() -> "no visible " + by + " on " + driver.getCurrentUrl())
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * The first element matching {@code by} whose text contains {@code text}. The
     * elements are looked up again on every poll, so a page that reloads itself
     * (the dashboard's fleet page does) is fine.
     */
    WebElement waitForText(By by, String text, Duration timeout) {
        return new WebDriverWait(driver, timeout)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "no " + by + " containing \"" + text + "\" on " + driver.getCurrentUrl()
                        + "; it shows: " + textOf(by))
                .until(d -> d.findElements(by).stream().filter(e -> e.getText().contains(text)).findFirst()
                        .orElse(null));
    }

    /** Saves the viewport as {@code target/screenshots/<TestClass>-<name>.png}. */
    Path screenshot(String name) {
        Path png = artifacts.resolve(owner + "-" + fileSafe(name) + ".png");
        write(png, driver.getScreenshotAs(OutputType.BYTES));
        return png;
    }

    /** Saves the current DOM as {@code target/screenshots/<TestClass>-<name>.html}. */
    Path pageSource(String name) {
        Path html = artifacts.resolve(owner + "-" + fileSafe(name) + ".html");
        write(html, driver.getPageSource().getBytes(StandardCharsets.UTF_8));
        return html;
    }

    /**
     * Every console entry since the session started: script errors, failed loads,
     * blocked content, and the page's own {@code console.*} calls.
     */
    List<LogEntry> console() {
        // chromedriver hands each entry out once; keep them all for later questions.
        driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
        return List.copyOf(console);
    }

    /**
     * The SEVERE console entries, as text: uncaught exceptions, failed requests,
     * refused scripts. Chromium's own request for {@code /favicon.ico} is left
     * out: no page asked for it ({@link #console()} still has it).
     */
    List<String> consoleErrors() {
        return console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).filter(m -> !FAVICON_MISSING.matcher(m).find()).toList();
    }

    /** For what the helpers do not cover. */
    ChromeDriver driver() {
        return driver;
    }

    /** Screenshot, page source and console of the moment a test failed; best effort, never throws. */
    void saveFailure(String testName) {
        String name = testName + "-failure";
        try {
            screenshot(name);
            pageSource(name);
            Path log = artifacts.resolve(owner + "-" + fileSafe(name) + "-console.txt");
            StringBuilder text = new StringBuilder("url: " + driver.getCurrentUrl() + "\n");
            console().forEach(e -> text.append(e).append('\n'));
            write(log, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            System.err.println("[browser] could not save the failure of " + testName + ": " + e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }

    private String textOf(By by) {
        try {
            return driver.findElements(by).stream().map(WebElement::getText).toList().toString();
        } catch (WebDriverException e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    private static Path executable(String env, Path debian, String debianPackage) {
        String configured = System.getenv(env);
        Path path = configured == null || configured.isBlank() ? debian : Path.of(configured);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is not an executable; install the Debian packages chromium and "
                    + "chromium-driver (bash .ci/run does), or set " + env + " (package " + debianPackage + ")");
        }
        return path;
    }

    private static Path artifactsDir() {
        Path dir = Path.of(System.getProperty("herdctl.screenshots", "target/screenshots")).toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
