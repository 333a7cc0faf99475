package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.Severity;

/** The proxy's lines as Squid writes them (squid/squid.conf, format "herdctl"), and the alerts they raise. */
class EgressAlertsTest {

    static final String ALLOWED = "{\"time\":\"2026-11-29T19:00:10.997Z\",\"client\":\"172.18.0.3\",\"method\":\"GET\","
            + "\"scheme\":\"http\",\"host\":\"api.github.com\",\"port\":\"80\",\"url\":\"http://api.github.com/\","
            + "\"status\":200,\"result\":\"TCP_MISS\",\"err\":\"-\",\"bytes\":315,\"ms\":6}";
    static final String NOT_WHITELISTED = "{\"time\":\"2026-11-29T19:00:11.019Z\",\"client\":\"172.18.0.3\","
            + "\"method\":\"GET\",\"scheme\":\"http\",\"host\":\"evil.test\",\"port\":\"80\",\"url\":\"http://evil.test/\","
            + "\"status\":403,\"result\":\"TCP_DENIED\",\"err\":\"ERR_HERDCTL_NOT_WHITELISTED\",\"bytes\":555,\"ms\":0}";
    static final String IP_LITERAL = "{\"time\":\"2026-11-29T19:00:11.041Z\",\"client\":\"172.18.0.3\",\"method\":\"GET\","
            + "\"scheme\":\"http\",\"host\":\"198.51.100.2\",\"port\":\"80\",\"url\":\"http://198.51.100.2/\","
            + "\"status\":403,\"result\":\"TCP_DENIED\",\"err\":\"ERR_HERDCTL_IP_LITERAL\",\"bytes\":578,\"ms\":0}";
    static final String PORT = "{\"time\":\"2026-11-29T19:00:11.063Z\",\"client\":\"172.18.0.3\",\"method\":\"GET\","
            + "\"scheme\":\"http\",\"host\":\"api.github.com\",\"port\":\"8080\",\"url\":\"http://api.github.com:8080/\","
            + "\"status\":403,\"result\":\"TCP_DENIED\",\"err\":\"ERR_HERDCTL_PORT\",\"bytes\":579,\"ms\":1}";
    static final String CONNECT_FAILED = "{\"time\":\"2026-11-29T19:00:14.104Z\",\"client\":\"172.18.0.3\","
            + "\"method\":\"CONNECT\",\"scheme\":\"-\",\"host\":\"api.github.com\",\"port\":\"443\","
            + "\"url\":\"api.github.com:443\",\"status\":503,\"result\":\"NONE_NONE\",\"err\":\"ERR_CONNECT_FAIL\","
            + "\"bytes\":0,\"ms\":0}";
    static final String CONNECT_PORT = "{\"time\":\"2026-11-29T19:00:14.129Z\",\"client\":\"172.18.0.3\","
            + "\"method\":\"CONNECT\",\"scheme\":\"-\",\"host\":\"api.github.com\",\"port\":\"8443\","
            + "\"url\":\"api.github.com:8443\",\"status\":403,\"result\":\"TCP_DENIED\",\"err\":\"ERR_HERDCTL_PORT\","
            + "\"bytes\":575,\"ms\":1}";
    static final Instant NOW = Instant.parse("2026-11-29T19:00:20Z");
    static final JobAddresses.Window JOB = new JobAddresses.Window("172.18.0.3", "job-2026-11-29-abc123", "fleet.coder",
            Instant.parse("2026-11-29T19:00:00Z"), null);

    static String line(String host, String port, String url, String result, String err) {
        return "{\"time\":\"2026-11-29T19:00:12.000Z\",\"client\":\"172.18.0.9\",\"method\":\"GET\",\"scheme\":\"http\","
                + "\"host\":\"" + host + "\",\"port\":\"" + port + "\",\"url\":\"" + url + "\",\"status\":403,"
                + "\"result\":\"" + result + "\",\"err\":\"" + err + "\",\"bytes\":1,\"ms\":0}";
    }

    @Test
    void readsSquidsLinesAndTellsRefusalsFromTheRest() {
        ProxyAccess allowed = ProxyAccess.parse(ALLOWED);
        assertEquals(Instant.parse("2026-11-29T19:00:10.997Z"), allowed.time());
        assertEquals("172.18.0.3", allowed.client());
        assertEquals(200, allowed.status());
        assertEquals(null, allowed.err(), "Squid's - is nothing");
        assertFalse(allowed.refused());
        assertFalse(ProxyAccess.parse(CONNECT_FAILED).refused(), "a failed upstream connection is not a refusal");
        for (String refused : List.of(NOT_WHITELISTED, IP_LITERAL, PORT, CONNECT_PORT)) {
            assertTrue(ProxyAccess.parse(refused).refused(), refused);
        }
        assertTrue(ProxyAccess.parse(line("h", "80", "http://h/", "TCP_DENIED", "ERR_ACCESS_DENIED")).refused(),
                "any denial");
        assertTrue(ProxyAccess.parse(line("h", "80", "http://h/", "NONE_NONE", "ERR_HERDCTL_CLIENT")).refused(),
                "any herdctl rule");
    }

    @Test
    void aLineThatIsNotAnEntrySaysWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProxyAccess.parse("{\"time\":")).getMessage()
                .startsWith("not JSON"));
        assertEquals("not a JSON object", assertThrows(IllegalArgumentException.class,
                () -> ProxyAccess.parse("[1]")).getMessage());
        assertEquals("\"time\" and \"client\" are required", assertThrows(IllegalArgumentException.class,
                () -> ProxyAccess.parse("{\"time\":\"2026-11-29T19:00:12Z\"}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ProxyAccess.parse("{\"time\":\"yesterday\",\"client\":\"1.2.3.4\"}")).getMessage()
                .contains("yesterday"));
    }

    @Test
    void eachReasonHasItsSeverityAndWords() {
        assertEquals(List.of(Severity.MEDIUM, Severity.HIGH, Severity.HIGH, Severity.HIGH, Severity.HIGH,
                Severity.MEDIUM, Severity.MEDIUM), List.of("ERR_HERDCTL_NOT_WHITELISTED", "ERR_HERDCTL_IP_LITERAL",
                        "ERR_HERDCTL_SPECIAL_ADDRESS", "ERR_HERDCTL_PORT", "ERR_HERDCTL_CLIENT", "ERR_ACCESS_DENIED",
                        "ERR_HERDCTL_SOMETHING_NEW").stream()
                .map(err -> ProxyAccess.parse(line("h", "80", "http://h/", "TCP_DENIED", err)).reason().severity())
                .toList());
        AuditAlertRaised a = EgressAlerts.denied(ProxyAccess.parse(PORT), 1234, JOB, UnaryOperator.identity(), NOW);
        assertEquals("egress-denied", a.ruleId());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals("Egress refused: api.github.com:8080 (port not allowed (HTTP only to 80, CONNECT only to 443))",
                a.title());
        assertEquals("job-2026-11-29-abc123", a.jobId());
        assertEquals("fleet.coder", a.agent());
        assertEquals(0, a.seq(), "not a line of the job's output");
        assertEquals(Instant.parse("2026-11-29T19:00:11.063Z"), a.lineTime());
        assertEquals(NOW, a.time());
        assertEquals("GET api.github.com:8080 from 172.18.0.3 refused: port not allowed (HTTP only to 80, CONNECT only"
                + " to 443) (ERR_HERDCTL_PORT, TCP_DENIED/403); url http://api.github.com:8080/", a.excerpt());
        assertEquals("CONNECT api.github.com:8443 from 172.18.0.3 refused: port not allowed (HTTP only to 80, CONNECT"
                + " only to 443) (ERR_HERDCTL_PORT, TCP_DENIED/403)", EgressAlerts.denied(ProxyAccess.parse(
                        CONNECT_PORT), 0, JOB, UnaryOperator.identity(), NOW).excerpt(), "a CONNECT's url is its target");
    }

    @Test
    void theIdComesFromTheLineSoReadingItAgainRaisesTheSameAlert() {
        ProxyAccess denied = ProxyAccess.parse(NOT_WHITELISTED);
        AuditAlertRaised first = EgressAlerts.denied(denied, 500, JOB, UnaryOperator.identity(), NOW);
        AuditAlertRaised again = EgressAlerts.denied(ProxyAccess.parse(NOT_WHITELISTED), 500, null,
                UnaryOperator.identity(), NOW.plusSeconds(60));
        assertEquals(first.eventId(), again.eventId(), "whenever it is read, whoever it is attributed to");
        assertNotEquals(first.eventId(), EgressAlerts.denied(denied, 900, JOB, UnaryOperator.identity(), NOW).eventId(),
                "the same request logged again further on is another one");
        assertEquals(EgressAlerts.UNATTRIBUTED_JOB, again.jobId());
        assertEquals(EgressAlerts.UNKNOWN_AGENT, again.agent());
    }

    @Test
    void theExcerptNeverCarriesTheQueryOrALoginAndIsMasked() {
        String token = "ghp_" + "Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2";
        DetectionRules rules = new DetectionRules(DetectionRules.shipped());
        for (String url : List.of("http://evil.test/upload?key=" + token, "http://evil.test/upload%3Fkey=" + token,
                "http://evil.test/upload%3fkey=" + token)) {
            String excerpt = EgressAlerts.excerpt(ProxyAccess.parse(line("evil.test", "80", url, "TCP_DENIED",
                    "ERR_HERDCTL_NOT_WHITELISTED")), rules::redact);
            assertTrue(excerpt.endsWith("; url http://evil.test/upload?…"), excerpt);
            assertFalse(excerpt.contains("key="), excerpt);
        }
        String login = EgressAlerts.excerpt(ProxyAccess.parse(line("evil.test", "80", "http://me:" + token
                + "@evil.test/x", "TCP_DENIED", "ERR_HERDCTL_NOT_WHITELISTED")), rules::redact);
        assertTrue(login.endsWith("; url http://evil.test/x"), login);
        String path = EgressAlerts.excerpt(ProxyAccess.parse(line("evil.test", "80", "http://evil.test/" + token,
                "TCP_DENIED", "ERR_HERDCTL_NOT_WHITELISTED")), rules::redact);
        assertFalse(path.contains(token), "a secret in the path is masked like any excerpt's: " + path);
        assertTrue(path.contains("[REDACTED:secret-in-output]"), path);
        String longUrl = EgressAlerts.excerpt(ProxyAccess.parse(line("evil.test", "80", "http://evil.test/"
                + "a".repeat(1000), "TCP_DENIED", "ERR_HERDCTL_NOT_WHITELISTED")), UnaryOperator.identity());
        assertTrue(longUrl.length() <= DetectionRules.EXCERPT_CHARS + 1, longUrl.length() + ": " + longUrl);
    }
}
