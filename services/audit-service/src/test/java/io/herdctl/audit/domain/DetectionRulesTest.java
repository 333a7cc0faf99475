package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Severity;

class DetectionRulesTest {

    private static JobOutputEmitted line(long seq, String raw) {
        return new JobOutputEmitted("e", Instant.now(), 1, "job-2026-02-03-abc123", "a", seq, OutputStream.STDOUT,
                "tool_result", raw, false, Map.of());
    }

    @Test
    void flagsPermissionDeniedWithAStableId() {
        DetectionRules rules = new DetectionRules(DetectionRules.DEFAULTS);
        List<AuditAlertRaised> alerts = rules.evaluate(line(4, "{\"error\":\"Error: EACCES: permission denied, open '/etc/shadow'\"}"));
        assertEquals(1, alerts.size());
        AuditAlertRaised alert = alerts.get(0);
        assertEquals("permission-denied", alert.ruleId());
        assertEquals(Severity.MEDIUM, alert.severity());
        assertEquals(4, alert.seq());
        assertTrue(alert.excerpt().contains("EACCES"), alert.excerpt());
        assertEquals(alert.eventId(), rules.evaluate(line(4, "EACCES")).get(0).eventId());
        assertTrue(rules.evaluate(line(5, "all good, access granted")).isEmpty());
        assertEquals(1, rules.evaluate(line(6, "cp: cannot create: Permission Denied")).size());
    }
}
