package io.herdctl.audit.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.audit.domain.EgressAlerts;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The egress proxy's log against a real broker: jobs' running statuses carry
 * their container's address, the proxy's lines (as Squid writes them) are
 * appended to a file that did not exist when the service started, and each
 * refusal becomes an alert of the job that had the address.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestProfile(ProxyLogListenerTest.ProxyLog.class)
class ProxyLogListenerTest {

    static final Path STATE;
    static final Path LOG;
    /** Long enough that a loaded machine reads the late running status inside it; the waits below allow 30 s. */
    static final Duration GRACE = Duration.ofSeconds(8);

    static {
        try {
            STATE = Files.createTempDirectory("herdctl-egress-");
            LOG = Files.createTempDirectory("herdctl-proxy-").resolve("access.jsonl");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class ProxyLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.audit.state-dir", STATE.toString(), "herdctl.audit.proxy-log", LOG.toString(),
                    "herdctl.audit.proxy-log-poll-interval", "100ms",
                    "herdctl.audit.proxy-log-grace", GRACE.toSeconds() + "s");
        }
    }

    EmbeddedKafkaBroker broker;

    @Inject
    AuditRecord record;

    static String running(String job, String agent, String address, Instant startedAt) {
        return EventJson.write(new JobStatusChanged("s-" + job, Instant.now(), 1, job, agent, null, TriggerType.MANUAL,
                JobStatus.RUNNING, null, null, startedAt, null, null, "c0ffee-" + job, "runner-a", null, null, null, null,
                null, address));
    }

    /** A line as Squid's "herdctl" log format writes it. */
    static String proxyLine(Instant time, String client, String method, String host, String port, String url,
            int status, String result, String err) {
        return "{\"time\":\"" + time + "\",\"client\":\"" + client + "\",\"method\":\"" + method + "\",\"scheme\":\""
                + (method.equals("CONNECT") ? "-" : "http") + "\",\"host\":\"" + host + "\",\"port\":\"" + port
                + "\",\"url\":\"" + url + "\",\"status\":" + status + ",\"result\":\"" + result + "\",\"err\":\"" + err
                + "\",\"bytes\":555,\"ms\":0}";
    }

    static synchronized void append(String... lines) throws IOException {
        Files.writeString(LOG, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static List<AuditAlertRaised> alertsOf(TopicClient topics, String key, int atLeast) {
        return topics.await(Topics.ALERTS, Duration.ofSeconds(30),
                all -> all.stream().filter(r -> key.equals(r.key())).count() >= atLeast).stream()
                .filter(r -> key.equals(r.key())).map(r -> OcsfFinding.read(r.value()))
                .sorted(Comparator.comparing(AuditAlertRaised::lineTime)).toList();
    }

    @Test
    void aRunningJobsRefusalsAreItsAlertsAndWhatWasAllowedRaisesNothing() throws IOException {
        String job = "job-2026-11-29-egr001";
        Instant t = Instant.now();
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_STATUS, job, running(job, "fleet.coder", "172.18.0.3", t.minusSeconds(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> record.addresses().at("172.18.0.3", t).isPresent());
            append(proxyLine(t.plusMillis(10), "172.18.0.3", "GET", "api.github.com", "80", "http://api.github.com/",
                    200, "TCP_MISS", "-"),
                    proxyLine(t.plusMillis(20), "172.18.0.3", "GET", "evil.test", "80",
                            "http://evil.test/collect?token=s3cr3t-value", 403, "TCP_DENIED",
                            "ERR_HERDCTL_NOT_WHITELISTED"),
                    "this line is not a proxy log entry",
                    proxyLine(t.plusMillis(30), "172.18.0.3", "GET", "198.51.100.2", "80", "http://198.51.100.2/", 403,
                            "TCP_DENIED", "ERR_HERDCTL_IP_LITERAL"),
                    proxyLine(t.plusMillis(40), "172.18.0.3", "CONNECT", "api.github.com", "443", "api.github.com:443",
                            503, "NONE_NONE", "ERR_CONNECT_FAIL"),
                    proxyLine(t.plusMillis(50), "172.18.0.3", "CONNECT", "api.github.com", "8443",
                            "api.github.com:8443", 403, "TCP_DENIED", "ERR_HERDCTL_PORT"));

            List<AuditAlertRaised> alerts = alertsOf(topics, job, 3);
            assertEquals(List.of(Severity.MEDIUM, Severity.HIGH, Severity.HIGH),
                    alerts.stream().map(AuditAlertRaised::severity).toList());
            alerts.forEach(a -> {
                assertEquals("egress-denied", a.ruleId());
                assertEquals("fleet.coder", a.agent());
                assertTrue(a.excerpt().contains("from 172.18.0.3 refused"), a.excerpt());
            });
            AuditAlertRaised first = alerts.get(0);
            assertEquals("Egress refused: evil.test:80 (domain not on the whitelist)", first.title());
            assertEquals("GET evil.test:80 from 172.18.0.3 refused: domain not on the whitelist"
                    + " (ERR_HERDCTL_NOT_WHITELISTED, TCP_DENIED/403); url http://evil.test/collect?…", first.excerpt());
            assertEquals("Egress refused: 198.51.100.2:80 (IP address instead of a name)", alerts.get(1).title());
            assertTrue(alerts.get(2).excerpt().startsWith("CONNECT api.github.com:8443 "), alerts.get(2).excerpt());

            ConsumerRecord<String, String> published = topics.readAll(Topics.ALERTS).stream()
                    .filter(r -> job.equals(r.key())).findFirst().orElseThrow();
            assertFalse(published.value().contains("s3cr3t"), "the query never leaves the service");
            JsonNode finding = EventJson.mapper().readTree(published.value());
            assertEquals("c0ffee-" + job, finding.path("evidences").path(0).path("container").path("uid").asText(),
                    "the container, from the job's status");
            assertEquals("egress", finding.path("evidences").path(0).path("data").path("line_type").asText());
            assertEquals("squid-access-log", finding.path("finding_info").path("data_sources").path(0).asText(),
                    "an egress finding names the proxy's log as its source, not the job's output");
        }

        given().get("/api/alerts?job=" + job + "&rule=egress-denied").then().statusCode(200)
                .body("total", equalTo(3)).body("alerts[0].jobId", equalTo(job));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/jobs/" + job).statusCode() == 200);
        given().get("/api/jobs/" + job).then().body("alerts", equalTo(3));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'job-record' }.data.egress", containsString("1 malformed lines"));
        await().atMost(Duration.ofSeconds(10)).until(() -> offsetFileSays(Files.size(LOG)));
    }

    @Test
    void aRefusalLoggedBeforeItsJobsRunningStatusWasReadIsStillTheJobs() throws IOException, InterruptedException {
        String job = "job-2026-11-29-egr002";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            // The status consumer is up (it joins its group a few seconds after the start), so the grace is the test's.
            String other = "job-2026-11-29-egr0w0";
            topics.send(Topics.JOB_STATUS, other, running(other, "fleet.writer", "172.18.0.250", Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> record.addresses().size() > 0);

            Instant t = Instant.now();
            append(proxyLine(t, "172.18.0.7", "GET", "pastebin.test", "80", "http://pastebin.test/", 403, "TCP_DENIED",
                    "ERR_HERDCTL_NOT_WHITELISTED"));
            Thread.sleep(GRACE.toMillis() / 3); // read, and waiting for its job
            topics.send(Topics.JOB_STATUS, job, running(job, "fleet.writer", "172.18.0.7", t.minusSeconds(2)));
            List<AuditAlertRaised> alerts = alertsOf(topics, job, 1);
            assertEquals(1, alerts.size());
            assertEquals("fleet.writer", alerts.get(0).agent());
            assertEquals(Severity.MEDIUM, alerts.get(0).severity());
            assertTrue(topics.readAll(Topics.ALERTS).stream().map(r -> OcsfFinding.read(r.value()))
                    .noneMatch(a -> a.excerpt() != null && a.excerpt().contains("pastebin.test")
                            && a.jobId().equals(EgressAlerts.UNATTRIBUTED_JOB)), "not raised unattributed as well");
        }
    }

    @Test
    void aRefusalOfNoKnownJobIsRaisedUnattributedOnceTheGraceIsOver() throws IOException {
        Instant appended = Instant.now();
        append(proxyLine(appended, "172.18.0.99", "GET", "internal.test", "80", "http://internal.test/", 403,
                "TCP_DENIED", "ERR_HERDCTL_SPECIAL_ADDRESS"));
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            AuditAlertRaised alert = alertsOf(topics, EgressAlerts.UNATTRIBUTED_JOB, 1).stream()
                    .filter(a -> a.excerpt().contains("internal.test")).findFirst().orElseThrow();
            assertTrue(!alert.time().isBefore(appended.plus(GRACE).minusMillis(100)),
                    "it waited for a job for the grace: raised " + alert.time() + ", appended " + appended);
            assertEquals(EgressAlerts.UNKNOWN_AGENT, alert.agent());
            assertEquals(Severity.HIGH, alert.severity());
            assertEquals("Egress refused: internal.test:80 (name resolves to a loopback, private or link-local address)",
                    alert.title());
        }
        given().get("/api/alerts?job=" + EgressAlerts.UNATTRIBUTED_JOB).then().statusCode(200)
                .body("alerts.find { it.excerpt.contains('internal.test') }.agent", equalTo("unknown"));
        given().get("/api/alerts?severity=high").then().statusCode(200);
        given().get("/api/stats").then().statusCode(200);
        given().get("/api/jobs/" + EgressAlerts.UNATTRIBUTED_JOB).then().statusCode(400);
        assertTrue(Files.exists(STATE.resolve("alerts").resolve(EgressAlerts.UNATTRIBUTED_JOB + ".jsonl")));
    }

    static boolean offsetFileSays(long offset) throws IOException {
        Path file = STATE.resolve("egress").resolve("proxy-log.offset");
        return Files.exists(file) && EventJson.mapper().readTree(Files.readString(file)).path("offset").asLong() == offset;
    }
}
