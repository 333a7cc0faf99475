package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.FleetControl;
import io.herdctl.events.Severity;

class FleetControlLogTest {

    static final Instant T = Instant.parse("2026-11-29T22:00:00Z");

    @TempDir
    Path state;

    @Test
    void eachChangeIsOnFileOnceAcrossRestartsAndATornLineIsRewritten() throws Exception {
        FleetControl stop = FleetControl.stop(T, "cli:alice@ops", "EACCES storm");
        FleetControl resume = stop.resume(T.plusSeconds(300), "dashboard:bob", "contained");
        FleetControlLog log = new FleetControlLog(state);
        assertTrue(log.append(stop));
        assertFalse(log.append(stop), "a redelivered record is not written twice");
        Files.writeString(log.file(), "{\"eventId\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        FleetControlLog restarted = new FleetControlLog(state);
        assertFalse(restarted.append(stop), "known after a restart");
        assertTrue(restarted.append(resume));
        assertEquals(List.of(stop, resume), restarted.all());
    }

    @Test
    void aStopIsAHighAlertThatSaysWhoAndWhyWithAStableId() {
        FleetControl stop = FleetControl.stop(T, "dashboard:alice@example.org", "agent wrote to .github/workflows");
        AuditAlertRaised a = FleetControlLog.alert(stop, T.plusSeconds(1));
        AuditAlertRaised again = FleetControlLog.alert(stop, T.plusSeconds(9));
        assertEquals(a.eventId(), again.eventId());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals(FleetControlLog.STOPPED_RULE, a.ruleId());
        assertEquals(FleetControlLog.JOB, a.jobId());
        assertTrue(a.title().contains("dashboard:alice@example.org"), a.title());
        assertTrue(a.excerpt().contains("agent wrote to .github/workflows"), a.excerpt());
        AuditAlertRaised r = FleetControlLog.alert(stop.resume(T.plusSeconds(60), "cli:bob", null), T);
        assertEquals(Severity.LOW, r.severity());
        assertEquals(FleetControlLog.RESUMED_RULE, r.ruleId());
    }

    /** The kill switch's alerts are kept under their pseudo job and read back after a restart. */
    @Test
    void theAlertsAreStoredUnderThePseudoJobAndSurviveARestart() {
        FleetControl stop = FleetControl.stop(T, "cli:alice@ops", "drill");
        AuditAlertRaised a = FleetControlLog.alert(stop, T);
        AlertStore store = new AlertStore(state.resolve("alerts"));
        assertTrue(store.add(a, io.herdctl.events.OcsfFinding.json(a, null)));
        AlertStore restarted = new AlertStore(state.resolve("alerts"));
        assertEquals(1, restarted.rebuild());
        assertEquals(1, restarted.query(new AlertStore.Query(FleetControlLog.JOB, null, null, null, null, null, 50, 0))
                .total());
    }
}
