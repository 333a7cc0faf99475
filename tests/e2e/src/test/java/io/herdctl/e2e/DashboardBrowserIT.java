package io.herdctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it: the whole stack (broker, five services, job
 * containers of the scripted agent) and the pages in a real headless Chromium.
 * The fleet page lists the agent; a job started from the trigger form streams
 * its output into the open page and is cancelled with the button; agent output
 * full of markup stays text; an alert's link lands on its line. Each test saves
 * screenshots in {@code target/screenshots}.
 */
class DashboardBrowserIT {

    static final String AGENT = "lookout";

    @RegisterExtension
    static final BrowserExtension BROWSER = new BrowserExtension();

    static TestFleet fleet;

    @BeforeAll
    static void startTheStack() throws IOException {
        // A cron schedule that does not come due during the test: the page shows the agent, nothing runs.
        fleet = TestFleet.start(AGENT, """
                name: lookout
                description: Watches the dashboard being watched.
                default_prompt: "Look around. scenario:success"
                working_directory: ../workspace
                instances:
                  max_concurrent: 3
                schedules:
                  yearly:
                    type: cron
                    cron: "0 3 1 1 *"
                docker:
                  enabled: true
                  workspace_mode: ro
                """);
    }

    @AfterAll
    static void stopTheStack() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theFleetPageShowsTheAgent() throws IOException {
        Browser browser = BROWSER.browser();
        long t0 = System.nanoTime();
        browser.open(fleet.dashboardUrl() + "/");
        // The page reloads itself every few seconds; the agent shows once config-service has published it.
        WebElement agents = browser.waitForText(By.id("agents"), AGENT, Duration.ofSeconds(60));
        System.out.printf("[e2e] the fleet page showed %s after %.1f s%n", AGENT, (System.nanoTime() - t0) / 1e9);
        Path png = browser.screenshot("fleet");

        assertTrue(agents.getText().contains("Watches the dashboard being watched."), agents.getText());
        assertEquals("herdctl · fleet", browser.driver().getTitle());
        assertTrue(Files.size(png) > 1000, png + " is a real picture");
        assertEquals(List.of(), browser.consoleErrors(), "the fleet page logs no errors");
    }

    @Test
    void aJobStartedFromTheFormStreamsLiveAndIsCancelledWithTheButton() {
        Browser browser = BROWSER.browser();
        String jobId = trigger(browser, "Count slowly. scenario:slow:120:0.5");
        // The page stays put (no reload) while lines arrive: a mark set on it now is still there after.
        browser.driver().executeScript("window.herdctlMark = 'kept';");
        WebElement third = browser.waitFor(By.id("line-3"), Duration.ofSeconds(60));
        assertTrue(third.getText().contains("slow line"), third.getText());
        browser.waitForText(By.id("live-state"), "live", Duration.ofSeconds(10));
        assertEquals("kept", browser.driver().executeScript("return window.herdctlMark;"),
                "the lines came into the open page, without a reload");
        browser.screenshot("live-output");

        browser.driver().findElement(By.id("cancel-job")).click();
        Alert question = new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .until(ExpectedConditions.alertIsPresent());
        question.sendKeys("stopped from the browser test");
        question.accept();
        browser.waitForText(By.id("job-status"), "cancelled", Duration.ofSeconds(60));
        browser.waitForText(By.id("live-state"), "complete", Duration.ofSeconds(60));
        browser.screenshot("cancelled");
        assertEquals(List.of(), browser.consoleErrors(), "the job page logs no errors");
        System.out.printf("[e2e] job %s streamed live and was cancelled from the page%n", jobId);
    }

    @Test
    void agentOutputIsTextAndAnAlertLandsOnItsLine() {
        Browser browser = BROWSER.browser();
        String markup = "<script>window.pwned=1</script><a id=\"evil\" href=\"javascript:window.pwned=2\">click</a>"
                + "<img src=x onerror=\"window.pwned=3\">";
        String jobId = trigger(browser, "scenario:success " + markup);
        browser.waitForText(By.id("live-state"), "complete", Duration.ofSeconds(90));
        assertEquals(null, browser.driver().executeScript("return window.pwned === undefined ? null : window.pwned;"),
                "nothing in the agent's output ran");
        assertTrue(browser.driver().findElements(By.id("evil")).isEmpty(), "the link is text, not a link");
        assertTrue(browser.driver().findElement(By.id("output")).getText().contains("<script>window.pwned=1</script>"),
                "the markup is shown as the agent wrote it");
        browser.screenshot("escaped-output");

        browser.open(fleet.dashboardUrl() + "/alerts?job=" + jobId);
        WebElement link = browser.waitFor(By.cssSelector("a.to-line"), Duration.ofSeconds(30));
        String href = link.getAttribute("href");
        String line = href.substring(href.indexOf("#") + 1);
        link.click();
        WebElement target = browser.waitFor(By.cssSelector("#" + line + ".target"), Duration.ofSeconds(30));
        assertTrue(target.getAttribute("class").contains("flagged"), "the alert's line is marked");
        assertTrue(target.getText().contains("EACCES"), target.getText());
        Object inView = browser.driver().executeScript("const r = arguments[0].getBoundingClientRect();"
                + " return r.top >= 0 && r.bottom <= window.innerHeight;", target);
        assertEquals(Boolean.TRUE, inView, "the page scrolled to the alert's line");
        browser.screenshot("alert-line");
        assertEquals(List.of(), browser.consoleErrors(), "no errors, and nothing blocked by the page's policy");
    }

    /** Fills and sends the agent page's trigger form; returns the new job's id from the page it lands on. */
    private static String trigger(Browser browser, String prompt) {
        browser.open(fleet.dashboardUrl() + "/agents/" + AGENT);
        WebElement field = browser.waitFor(By.id("prompt"), Duration.ofSeconds(60));
        field.clear();
        field.sendKeys(prompt);
        browser.driver().findElement(By.id("trigger")).click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30))
                .until(ExpectedConditions.urlMatches("/jobs/job-[0-9a-z-]+$"));
        String url = browser.driver().getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
