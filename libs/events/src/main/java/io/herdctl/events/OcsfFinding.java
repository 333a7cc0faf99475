package io.herdctl.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The value of {@link Topics#ALERTS}: an alert as an OCSF 1.3 Detection Finding
 * (class 2004, category 2 Findings, activity 1 Create), so a SIEM that speaks
 * OCSF maps it without a parser of ours. Where OCSF has a place for a fact it is
 * there (severity, rule as the analytic, container and the matching line as
 * evidence, job and agent as resources, the alert id as {@code metadata.uid} and
 * {@code finding_info.uid}, the job id as {@code metadata.correlation_uid}); the
 * herdctl view of the alert is also kept whole under {@code unmapped.herdctl}, which
 * is what {@link #read} uses.
 */
public final class OcsfFinding {

    public static final int CLASS_UID = 2004;
    public static final int CATEGORY_UID = 2;
    public static final int ACTIVITY_CREATE = 1;
    public static final int TYPE_UID = CLASS_UID * 100 + ACTIVITY_CREATE;
    public static final String OCSF_VERSION = "1.3.0";

    /**
     * What the audit service knows about the job beyond the line: where it ran, and
     * what the finding was read from ({@code finding_info.data_sources}): a topic, or
     * the proxy's log.
     */
    public record Context(String containerId, String runnerId, String lineType, String dataSource) {

        public static final Context NONE = new Context(null, null, null);

        /** A finding read from a job's output lines. */
        public Context(String containerId, String runnerId, String lineType) {
            this(containerId, runnerId, lineType, Topics.JOB_OUTPUT);
        }

        public Context {
            dataSource = dataSource == null ? Topics.JOB_OUTPUT : dataSource;
        }
    }

    private OcsfFinding() {
    }

    /** OCSF's severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
    public static int severityId(Severity s) {
        return s.ordinal() + 1;
    }

    public static String severityName(Severity s) {
        return switch (s) {
            case INFO -> "Informational";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }

    /** The Detection Finding document for an alert, fields in a stable order. */
    public static Map<String, Object> of(AuditAlertRaised alert, Context context) {
        Context ctx = context == null ? Context.NONE : context;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("class_uid", CLASS_UID);
        doc.put("class_name", "Detection Finding");
        doc.put("category_uid", CATEGORY_UID);
        doc.put("category_name", "Findings");
        doc.put("activity_id", ACTIVITY_CREATE);
        doc.put("activity_name", "Create");
        doc.put("type_uid", TYPE_UID);
        doc.put("type_name", "Detection Finding: Create");
        doc.put("time", alert.time().toEpochMilli());
        doc.put("severity_id", severityId(alert.severity()));
        doc.put("severity", severityName(alert.severity()));
        doc.put("status_id", 1);
        doc.put("status", "New");
        doc.put("is_alert", true);
        doc.put("message", alert.title());

        Map<String, Object> product = new LinkedHashMap<>();
        product.put("name", "herdctl");
        product.put("vendor_name", "herdctl");
        product.put("feature", Map.of("name", "audit-service"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("version", OCSF_VERSION);
        metadata.put("uid", alert.eventId());
        metadata.put("correlation_uid", alert.jobId());
        metadata.put("log_name", Topics.ALERTS);
        metadata.put("product", product);
        metadata.put("profiles", List.of("container"));
        doc.put("metadata", metadata);

        Map<String, Object> analytic = new LinkedHashMap<>();
        analytic.put("uid", alert.ruleId());
        analytic.put("name", alert.ruleId());
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("uid", alert.eventId());
        info.put("title", alert.title());
        info.put("desc", alert.excerpt());
        info.put("types", List.of(alert.ruleId()));
        info.put("analytic", analytic);
        if (alert.lineTime() != null) {
            info.put("first_seen_time", alert.lineTime().toEpochMilli());
            info.put("last_seen_time", alert.lineTime().toEpochMilli());
        }
        info.put("data_sources", List.of(ctx.dataSource()));
        doc.put("finding_info", info);

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("uid", alert.jobId());
        job.put("name", alert.jobId());
        job.put("type", "herdctl job");
        job.put("labels", List.of("agent:" + alert.agent()));
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("uid", alert.agent());
        agent.put("name", alert.agent());
        agent.put("type", "herdctl agent");
        doc.put("resources", List.of(job, agent));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", alert.jobId());
        data.put("seq", alert.seq());
        if (ctx.lineType() != null) {
            data.put("line_type", ctx.lineType());
        }
        data.put("line", alert.excerpt());
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (ctx.containerId() != null) {
            evidence.put("container", Map.of("uid", ctx.containerId()));
        }
        evidence.put("data", data);
        doc.put("evidences", List.of(evidence));

        Map<String, Object> herdctl = new LinkedHashMap<>();
        herdctl.put("schema_version", AuditAlertRaised.SCHEMA_VERSION);
        herdctl.put("alert_id", alert.eventId());
        herdctl.put("time", alert.time().toString());
        herdctl.put("job_id", alert.jobId());
        herdctl.put("agent", alert.agent());
        herdctl.put("seq", alert.seq());
        herdctl.put("rule_id", alert.ruleId());
        herdctl.put("title", alert.title());
        herdctl.put("severity", alert.severity().wire());
        putIfPresent(herdctl, "excerpt", alert.excerpt());
        putIfPresent(herdctl, "line_time", alert.lineTime() == null ? null : alert.lineTime().toString());
        putIfPresent(herdctl, "container_id", ctx.containerId());
        putIfPresent(herdctl, "runner_id", ctx.runnerId());
        doc.put("unmapped", Map.of("herdctl", herdctl));
        return doc;
    }

    /** The document as one JSON line. */
    public static String json(AuditAlertRaised alert, Context context) {
        return EventJson.write(of(alert, context));
    }

    /**
     * The alert in a finding read from the topic. A value that is not a herdctl
     * Detection Finding fails with a {@link MalformedEventException} naming what is wrong.
     */
    public static AuditAlertRaised read(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException(AuditAlertRaised.class, "empty record value");
        }
        JsonNode doc;
        try {
            doc = EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(AuditAlertRaised.class, e.getOriginalMessage(), e);
        }
        if (doc.path("class_uid").asInt() != CLASS_UID) {
            throw new MalformedEventException(AuditAlertRaised.class,
                    "not an OCSF Detection Finding (class_uid " + doc.path("class_uid").asText("missing") + ")");
        }
        JsonNode h = doc.path("unmapped").path("herdctl");
        if (!h.isObject()) {
            throw new MalformedEventException(AuditAlertRaised.class, "unmapped.herdctl is missing");
        }
        try {
            return new AuditAlertRaised(text(h, "alert_id"), instant(h, "time"), h.path("schema_version").asInt(),
                    text(h, "job_id"), text(h, "agent"), h.path("seq").asLong(), text(h, "rule_id"), text(h, "title"),
                    Severity.fromWire(text(h, "severity")), text(h, "excerpt"), instant(h, "line_time"));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(AuditAlertRaised.class, e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        return v == null ? null : Instant.parse(v);
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
