package io.herdctl.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link Browser} for a test class: started before the class's own
 * {@code @BeforeAll}, closed after its {@code @AfterAll}. When a test fails, its
 * screenshot, page source and console go to {@code target/screenshots} as
 * {@code <TestClass>-<test>-failure.*}, taken before anything is torn down.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final BrowserExtension BROWSER = new BrowserExtension();
 * ...
 * BROWSER.browser().open(url);
 * </pre>
 */
final class BrowserExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private Browser browser;

    Browser browser() {
        if (browser == null) {
            throw new IllegalStateException("the browser starts with the test class; register this extension on a "
                    + "static field with @RegisterExtension");
        }
        return browser;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        browser = Browser.start(context.getRequiredTestClass());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (browser != null) {
            browser.saveFailure(context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
