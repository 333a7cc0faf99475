package io.herdctl.audit.domain;

import java.time.Instant;
import java.util.function.UnaryOperator;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventIds;

/**
 * The {@code egress-denied} alert: the egress proxy refused a request of an
 * agent's container. Not a rule of the rules file (it reads the proxy's log, not
 * a job's output), but raised, stored and published like one.
 * <p>
 * A refusal whose client address matches no job's window is raised for the
 * pseudo job {@value #UNATTRIBUTED_JOB} and agent {@value #UNKNOWN_AGENT}: the
 * event requires both, a SIEM must still see the refusal, and the id is one no
 * job can have (herdctl's job ids start with {@code job-}). Its alerts are kept
 * in {@code alerts/egress-unattributed.jsonl} and listed with
 * {@code GET /api/alerts?job=egress-unattributed}. {@code seq} is 0: a refusal
 * is not a line of the job's output.
 */
public final class EgressAlerts {

    public static final String RULE_ID = "egress-denied";
    public static final String UNATTRIBUTED_JOB = "egress-unattributed";
    public static final String UNKNOWN_AGENT = "unknown";
    /** The OCSF evidence's {@code line_type} of an egress alert. */
    public static final String LINE_TYPE = "egress";
    /** The OCSF finding's {@code data_sources}: what the refusal was read from. */
    public static final String DATA_SOURCE = "squid-access-log";

    private EgressAlerts() {
    }

    /**
     * The alert for a refusal at {@code offset} of the proxy log; {@code job} null
     * when no job is known for its address. The id derives from the line (time,
     * client, URL, offset), so reading the line again raises the same alert. The
     * excerpt never has the URL's query, and is masked by {@code redact}.
     */
    public static AuditAlertRaised denied(ProxyAccess access, long offset, JobAddresses.Window job,
            UnaryOperator<String> redact, Instant now) {
        ProxyAccess.Reason reason = access.reason();
        String id = EventIds.derived(RULE_ID, access.time().toString(), access.client(), String.valueOf(access.url()),
                Long.toString(offset));
        return new AuditAlertRaised(id, now, AuditAlertRaised.SCHEMA_VERSION,
                job == null ? UNATTRIBUTED_JOB : job.jobId(), job == null ? UNKNOWN_AGENT : job.agent(), 0, RULE_ID,
                "Egress refused: " + access.target() + " (" + reason.words() + ")", reason.severity(),
                excerpt(access, redact), access.time());
    }

    /** Method, target, client and reason, then the URL without its query; masked and cut to the excerpt length. */
    static String excerpt(ProxyAccess a, UnaryOperator<String> redact) {
        StringBuilder s = new StringBuilder();
        s.append(a.method() == null ? "?" : a.method()).append(' ').append(a.target())
                .append(" from ").append(a.client())
                .append(" refused: ").append(a.reason().words())
                .append(" (").append(a.err() == null ? "-" : a.err())
                .append(", ").append(a.result() == null ? "-" : a.result()).append('/').append(a.status()).append(')');
        String url = a.urlWithoutQuery();
        if (url != null && !url.equals(a.target())) {
            s.append("; url ").append(url);
        }
        String masked = redact.apply(s.toString());
        return masked.length() <= DetectionRules.EXCERPT_CHARS ? masked
                : masked.substring(0, DetectionRules.EXCERPT_CHARS) + "…";
    }
}
