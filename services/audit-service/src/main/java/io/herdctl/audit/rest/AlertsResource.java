package io.herdctl.audit.rest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.herdctl.audit.domain.AlertStore;
import io.herdctl.audit.domain.EgressAlerts;
import io.herdctl.audit.domain.FleetControlLog;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.Severity;
import io.smallrye.common.annotation.Blocking;

/**
 * The alerts raised, newest first, filtered by job, agent, rule, least severity and time. {@code job} is a
 * herdctl job id, or {@value EgressAlerts#UNATTRIBUTED_JOB} for the egress refusals no job is known for.
 */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AlertsResource {

    private final AuditRecord record;

    public AlertsResource(AuditRecord record) {
        this.record = record;
    }

    @GET
    public Map<String, Object> list(@QueryParam("job") String job, @QueryParam("agent") String agent,
            @QueryParam("rule") String rule, @QueryParam("severity") String severity, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        int lim = Params.range("limit", limit, 50, 1, JobsResource.MAX_LIMIT);
        int off = Params.range("offset", offset, 0, 0, Integer.MAX_VALUE);
        String jobId = Params.blankToNull(job);
        AlertStore.Page page = record.alerts().query(new AlertStore.Query(jobId == null
                || EgressAlerts.UNATTRIBUTED_JOB.equals(jobId) || FleetControlLog.JOB.equals(jobId) ? jobId
                : Params.jobId(jobId),
                Params.blankToNull(agent), Params.blankToNull(rule), severity(severity), Params.time("since", since),
                Params.time("until", until), lim, off));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", page.alerts().stream().map(this::view).toList());
        out.put("total", page.total());
        out.put("limit", lim);
        out.put("offset", off);
        return out;
    }

    private Map<String, Object> view(AuditAlertRaised a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.eventId());
        m.put("time", a.time().toString());
        m.put("jobId", a.jobId());
        m.put("agent", a.agent());
        m.put("seq", a.seq());
        m.put("ruleId", a.ruleId());
        m.put("title", a.title());
        m.put("severity", a.severity().wire());
        m.put("excerpt", a.excerpt() == null ? null : record.rules().redact(a.excerpt()));
        m.put("lineTime", a.lineTime() == null ? null : a.lineTime().toString());
        return m;
    }

    private static Severity severity(String value) {
        String v = Params.blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Severity.fromWire(v.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("severity \"" + v + "\" is not one of info, low, medium, high, critical");
        }
    }
}
