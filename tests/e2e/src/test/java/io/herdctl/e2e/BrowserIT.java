package io.herdctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;

import com.sun.net.httpserver.HttpServer;

/**
 * The browser harness itself, against pages served on loopback by this test:
 * it sees what scripts do, records their errors, writes its pictures, and
 * reaches nothing beyond this machine.
 */
class BrowserIT {

    @RegisterExtension
    static final BrowserExtension BROWSER = new BrowserExtension();

    static HttpServer server;

    @BeforeAll
    static void servePages() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page("/quiet", "<title>quiet</title><p id=msg>static</p>");
        page("/script", """
                <title>script</title><p id=msg>before</p>
                <script>setTimeout(() => { document.getElementById('msg').textContent = 'after'; }, 300);</script>
                """);
        page("/broken", """
                <title>broken</title><h1>a page whose script throws</h1>
                <script>throw new Error('boom from the page');</script>
                """);
        server.start();
    }

    @AfterAll
    static void stopServing() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void waitsForWhatAScriptWritesAndRecordsScriptErrors() throws IOException {
        Browser browser = BROWSER.browser();
        browser.open(url("/script"));
        browser.waitForText(By.id("msg"), "after", Duration.ofSeconds(10));
        browser.open(url("/quiet"));
        assertEquals("static", browser.waitFor(By.id("msg"), Duration.ofSeconds(10)).getText());
        assertEquals(List.of(), browser.consoleErrors());

        browser.open(url("/broken"));
        List<String> errors = browser.consoleErrors();
        assertTrue(errors.size() == 1 && errors.get(0).contains("boom from the page"), errors.toString());

        Path png = browser.screenshot("broken");
        assertTrue(png.getFileName().toString().equals("BrowserIT-broken.png") && Files.size(png) > 0, png.toString());
    }

    @Test
    void reachesNothingButLoopback() {
        Browser browser = BROWSER.browser();
        assertThrows(IllegalArgumentException.class, () -> browser.open("http://herdctl.test/"));
        // Past the guard, Chromium's own traffic ends at the dead loopback proxy (.test never resolves anyway).
        WebDriverException refused = assertThrows(WebDriverException.class,
                () -> browser.driver().get("http://herdctl.test/"));
        assertTrue(refused.getMessage().contains("ERR_PROXY_CONNECTION_FAILED"), refused.getMessage());
    }

    private static void page(String path, String html) {
        byte[] body = ("<!DOCTYPE html><html><body>" + html + "</body></html>").getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }
}
