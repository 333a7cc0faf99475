package io.herdctl.config.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LiveChecksTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T22:00:00Z"), ZoneOffset.UTC);

    /** Answers from a table of URL prefixes; anything else is a refused connection. */
    static final class FakeHttp implements LiveChecks.Http {
        final Map<String, LiveChecks.Answer> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public LiveChecks.Answer get(String url) throws IOException {
            asked.add(url);
            for (Map.Entry<String, LiveChecks.Answer> a : answers.entrySet()) {
                if (url.startsWith(a.getKey())) {
                    return a.getValue();
                }
            }
            throw new ConnectException("refused");
        }

        FakeHttp ready(int... ports) {
            for (int p : ports) {
                answers.put("http://127.0.0.1:" + p + "/q/health/ready", new LiveChecks.Answer(200, "{\"status\":\"UP\"}"));
            }
            return this;
        }
    }

    private static Map<String, Finding> byId(List<Finding> findings) {
        Map<String, Finding> m = new HashMap<>();
        findings.forEach(f -> m.put(f.id(), f));
        return m;
    }

    @Test
    void withNothingRunningOnlyTheFilesAreChecked() throws Exception {
        List<Finding> found = new LiveChecks(Map.of(), new FakeHttp(), CLOCK).examine();
        assertEquals(1, found.size());
        assertEquals("live-system", found.get(0).id());
        assertEquals(Severity.INFO, found.get(0).severity());
        assertTrue(found.get(0).message().contains("http://127.0.0.1:3241"), found.get(0).message());
    }

    @Test
    void aHealthySystemPassesEveryLiveCheck() throws Exception {
        FakeHttp http = new FakeHttp().ready(3241, 3242, 3243, 3244, 3232);
        http.answers.put("http://127.0.0.1:3241/api/fleet", new LiveChecks.Answer(200, "{\"stopped\":false}"));
        http.answers.put("http://127.0.0.1:3244/api/alerts", new LiveChecks.Answer(200, "{\"alerts\":[],\"total\":0}"));
        Map<String, Finding> found = byId(new LiveChecks(Map.of(), http, CLOCK).examine());
        assertEquals(Severity.OK, found.get("live-services").severity());
        assertEquals(Severity.OK, found.get("live-kill-switch").severity());
        assertEquals(Severity.OK, found.get("live-alerts").severity());
        assertTrue(http.asked.contains("http://127.0.0.1:3244/api/alerts?severity=high&limit=1&since=2026-11-28T22%3A00%3A00Z"),
                http.asked.toString());
    }

    @Test
    void aStoppedFleetRecentHighAlertsAndAServiceDownAreFindings() throws Exception {
        FakeHttp http = new FakeHttp().ready(3241, 3242, 3244, 3232);
        http.answers.put("http://runner.test:8080/q/health/ready", new LiveChecks.Answer(503, "{\"status\":\"DOWN\"}"));
        http.answers.put("http://127.0.0.1:3241/api/fleet", new LiveChecks.Answer(200,
                "{\"stopped\":true,\"changedBy\":\"cli:alice@ops\",\"changedAt\":\"2026-11-29T21:00:00Z\",\"reason\":\"drill\"}"));
        http.answers.put("http://127.0.0.1:3244/api/alerts", new LiveChecks.Answer(200, "{\"total\":3,\"alerts\":[{"
                + "\"title\":\"Reverse shell\",\"jobId\":\"job-2026-11-29-abc123\",\"time\":\"2026-11-29T21:59:00Z\"}]}"));
        Map<String, Finding> found = byId(new LiveChecks(Map.of("HERDCTL_RUNNER_URL", "http://runner.test:8080/"), http,
                CLOCK).examine());

        Finding services = found.get("live-services");
        assertEquals(Severity.MEDIUM, services.severity());
        assertTrue(services.message().contains("runner-service at http://runner.test:8080 is not ready (HTTP 503)"),
                services.message());
        Finding stop = found.get("live-kill-switch");
        assertEquals(Severity.HIGH, stop.severity());
        assertTrue(stop.message().contains("cli:alice@ops") && stop.message().contains("drill"), stop.message());
        assertTrue(stop.fix().contains("./herdctl resume"));
        Finding alerts = found.get("live-alerts");
        assertEquals(Severity.HIGH, alerts.severity());
        assertTrue(alerts.message().startsWith("3 alert(s)") && alerts.message().contains("job-2026-11-29-abc123"),
                alerts.message());
        assertTrue(found.values().stream().allMatch(f -> f.agent() == null), "live findings are fleet-wide");
    }
}
