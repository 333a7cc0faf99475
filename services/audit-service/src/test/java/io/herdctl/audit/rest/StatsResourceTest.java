package io.herdctl.audit.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.audit.domain.AlertStore;
import io.herdctl.audit.domain.JobMetadataWriter;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The chart figures over a record written before the service starts (as after a
 * restart): jobs of two agents on three days, one of them outside the default
 * window, and alerts of three rules.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestProfile(StatsResourceTest.SeededRecord.class)
class StatsResourceTest {

    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    static final LocalDate YESTERDAY = TODAY.minusDays(1);
    static final LocalDate THREE_DAYS_AGO = TODAY.minusDays(3);
    static final LocalDate TWENTY_DAYS_AGO = TODAY.minusDays(20);
    static final Path STATE;

    static {
        try {
            STATE = Files.createTempDirectory("herdctl-stats-");
            JobMetadataWriter metadata = new JobMetadataWriter(STATE.resolve("jobs"), s -> s);
            metadata.status(job("job-2026-01-01-alpha1", "fleet.alpha", JobStatus.COMPLETED, at(YESTERDAY, 10), 30,
                    0.10));
            metadata.status(job("job-2026-01-01-alpha2", "fleet.alpha", JobStatus.FAILED, at(YESTERDAY, 11), 90, 0.05));
            metadata.status(job("job-2026-01-01-beta01", "fleet.beta", JobStatus.COMPLETED, at(YESTERDAY, 12), 10,
                    0.20));
            metadata.status(job("job-2026-01-01-alpha3", "fleet.alpha", JobStatus.COMPLETED, at(THREE_DAYS_AGO, 9), 60,
                    0.30));
            metadata.status(job("job-2026-01-01-beta02", "fleet.beta", JobStatus.CANCELLED, at(THREE_DAYS_AGO, 10), 5,
                    null));
            // The last second of its day still counts on that day.
            metadata.status(job("job-2026-01-01-beta03", "fleet.beta", JobStatus.RUNNING,
                    at(THREE_DAYS_AGO, 0).plusSeconds(86_399), 0, null));
            metadata.status(job("job-2026-01-01-alpha4", "fleet.alpha", JobStatus.COMPLETED, at(TWENTY_DAYS_AGO, 8),
                    1000, 5.00));

            AlertStore alerts = new AlertStore(STATE.resolve("alerts"));
            alert(alerts, "a1", "job-2026-01-01-alpha1", "secret-in-output", Severity.HIGH, at(YESTERDAY, 10));
            alert(alerts, "a2", "job-2026-01-01-alpha1", "secret-in-output", Severity.HIGH,
                    at(YESTERDAY, 10).plusSeconds(1));
            alert(alerts, "a3", "job-2026-01-01-beta01", "permission-denied", Severity.MEDIUM, at(YESTERDAY, 12));
            alert(alerts, "a4", "job-2026-01-01-alpha3", "permission-denied", Severity.MEDIUM, at(THREE_DAYS_AGO, 9));
            alert(alerts, "a5", "job-2026-01-01-alpha3", "permission-denied", Severity.MEDIUM, at(THREE_DAYS_AGO, 10));
            alert(alerts, "a6", "job-2026-01-01-alpha4", "reverse-shell", Severity.CRITICAL, at(TWENTY_DAYS_AGO, 8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class SeededRecord implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.audit.state-dir", STATE.toString());
        }
    }

    static Instant at(LocalDate day, int hour) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour));
    }

    static JobStatusChanged job(String id, String agent, JobStatus status, Instant started, long seconds, Double cost) {
        boolean end = status.isTerminal();
        return new JobStatusChanged("s-" + id, started, 1, id, agent, null, TriggerType.MANUAL, status,
                end ? ExitReason.SUCCESS : null, null, started, end ? started.plusSeconds(seconds) : null,
                end ? seconds * 1000 : null, null, "runner-a", null, null,
                cost == null ? null : new JobUsage(10L, 20L, 0L, 0L, 2, cost, Map.of()), null);
    }

    static void alert(AlertStore alerts, String id, String job, String rule, Severity severity, Instant time) {
        AuditAlertRaised a = new AuditAlertRaised(id, time, 1, job, "fleet.x", 1, rule, "title", severity, "excerpt",
                time);
        alerts.add(a, OcsfFinding.json(a, OcsfFinding.Context.NONE));
    }

    static Map<String, Integer> statuses(int pending, int running, int completed, int failed, int cancelled) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("pending", pending);
        m.put("running", running);
        m.put("completed", completed);
        m.put("failed", failed);
        m.put("cancelled", cancelled);
        return m;
    }

    /** One day's counts from a per-day list of the answer. */
    static Map<String, Object> countsOn(JsonPath answer, String list, LocalDate day) {
        return answer.getMap(list + ".find { it.day == '" + day + "' }.counts");
    }

    static void assertWindow(JsonPath answer, int days) {
        List<String> listed = answer.getList("days");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(today.minusDays(days - 1).datesUntil(today.plusDays(1)).map(LocalDate::toString).toList(), listed,
                "every day of the window, oldest first, today last");
        assertEquals(listed, answer.getList("jobsPerDay.day"));
        assertEquals(listed, answer.getList("alertsPerDay.day"));
    }

    @Test
    void countsTheLastFourteenDaysByDefault() {
        JsonPath answer = given().get("/api/stats").then().statusCode(200).extract().jsonPath();
        assertWindow(answer, 14);

        assertEquals(statuses(0, 0, 2, 1, 0), countsOn(answer, "jobsPerDay", YESTERDAY));
        assertEquals(statuses(0, 1, 1, 0, 1), countsOn(answer, "jobsPerDay", THREE_DAYS_AGO));
        assertEquals(statuses(0, 0, 0, 0, 0), countsOn(answer, "jobsPerDay", TODAY));

        assertEquals(List.of(
                Map.of("agent", "fleet.alpha", "jobs", 3, "finished", 3, "durationP50Seconds", 60,
                        "durationP95Seconds", 90, "durationMaxSeconds", 90, "costUsd", 0.45f),
                Map.of("agent", "fleet.beta", "jobs", 3, "finished", 2, "durationP50Seconds", 5,
                        "durationP95Seconds", 10, "durationMaxSeconds", 10, "costUsd", 0.2f)),
                answer.getList("agents"), "jobs started in the window, by agent name; durations of the finished ones");

        assertEquals(Map.of("permission-denied", 1, "secret-in-output", 2),
                countsOn(answer, "alertsPerDay", YESTERDAY));
        assertEquals(Map.of("permission-denied", 2, "secret-in-output", 0),
                countsOn(answer, "alertsPerDay", THREE_DAYS_AGO));
        assertEquals(Map.of("permission-denied", 0, "secret-in-output", 0), countsOn(answer, "alertsPerDay", TODAY),
                "only rules with an alert in the window, on every day");
        assertEquals(List.of(Map.of("ruleId", "permission-denied", "severity", "medium", "total", 3),
                Map.of("ruleId", "secret-in-output", "severity", "high", "total", 2)), answer.getList("rules"));
    }

    @Test
    void aLongerWindowTakesInOlderJobsAndAlerts() {
        JsonPath answer = given().get("/api/stats?days=30").then().statusCode(200).extract().jsonPath();
        assertWindow(answer, 30);
        assertEquals(statuses(0, 0, 1, 0, 0), countsOn(answer, "jobsPerDay", TWENTY_DAYS_AGO));
        assertEquals(Map.of("agent", "fleet.alpha", "jobs", 4, "finished", 4, "durationP50Seconds", 60,
                "durationP95Seconds", 1000, "durationMaxSeconds", 1000, "costUsd", 5.45f), answer.getMap("agents[0]"));
        assertEquals(List.of("permission-denied", "secret-in-output", "reverse-shell"), answer.getList("rules.ruleId"));
        assertEquals(Map.of("permission-denied", 0, "secret-in-output", 0, "reverse-shell", 1),
                countsOn(answer, "alertsPerDay", TWENTY_DAYS_AGO));
    }

    @Test
    void aWindowWithNothingInItStillListsItsDays() {
        JsonPath answer = given().get("/api/stats?days=1").then().statusCode(200).extract().jsonPath();
        assertWindow(answer, 1);
        assertEquals(statuses(0, 0, 0, 0, 0), countsOn(answer, "jobsPerDay", TODAY));
        assertEquals(Map.of(), countsOn(answer, "alertsPerDay", TODAY));
        assertEquals(List.of(), answer.getList("agents"));
        assertEquals(List.of(), answer.getList("rules"));
    }

    @Test
    void refusesADaysCountOutsideOneToNinety() {
        for (String days : List.of("0", "91", "-3", "two", "1.5")) {
            given().get("/api/stats?days=" + days).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"))
                    .body("error.message", equalTo("days must be a whole number from 1 to 90, was \"" + days + "\""))
                    .body("error.details.size()", equalTo(0));
        }
        given().get("/api/stats?days=90").then().statusCode(200).body("days", hasSize(90));
    }
}
