package io.herdctl.audit.rest;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.herdctl.audit.domain.JobIndex;
import io.herdctl.audit.domain.WorkspaceAlerts;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.JobStatus;
import io.herdctl.events.TriggerType;
import io.herdctl.events.WorkspaceChanges;
import io.smallrye.common.annotation.Blocking;

/**
 * The job history: the list (filters, order, pages) in the shape of herdctl's
 * {@code GET /api/jobs}, with more fields; one job's metadata; its log from a
 * sequence number on. Everything is read from the record and masked by the
 * redacting rules on the way out, whatever rules were in force when it was written.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class JobsResource {

    public static final int MAX_LIMIT = 500;
    public static final int MAX_OUTPUT_LINES = 10_000;
    public static final String NDJSON = "application/x-ndjson";

    private final AuditRecord record;

    public JobsResource(AuditRecord record) {
        this.record = record;
    }

    @GET
    public Map<String, Object> list(@QueryParam("agent") String agent, @QueryParam("agentName") String agentName,
            @QueryParam("status") String status, @QueryParam("triggerType") String triggerType,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("sort") String sort,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        int lim = Params.range("limit", limit, 50, 1, MAX_LIMIT);
        int off = Params.range("offset", offset, 0, 0, Integer.MAX_VALUE);
        JobIndex.Query q = new JobIndex.Query(Params.blankToNull(agent != null ? agent : agentName), statuses(status),
                trigger(triggerType), Params.time("since", since), Params.time("until", until), sort(sort),
                sort == null || sort.isBlank() || sort.trim().startsWith("-"), lim, off);
        JobIndex.Page page = record.index().query(q);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", page.rows().stream().map(this::summary).toList());
        out.put("total", page.total());
        out.put("limit", lim);
        out.put("offset", off);
        out.put("errors", List.of());
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        Params.jobId(id);
        Map<String, Object> m = record.metadata().read(id);
        JobIndex.Row row = record.index().get(id);
        if (m.isEmpty() || row == null) {
            throw ApiError.notFound("JOB_NOT_FOUND", "Job \"" + id + "\" not found");
        }
        Map<String, Object> out = summary(row);
        out.put("prompt", redact(m.get("prompt")));
        out.put("summary", redact(m.get("summary")));
        out.put("error", redact(m.get("error")));
        out.put("usage", m.get("usage"));
        out.put("outputFile", m.get("output_file"));
        out.put("lines", record.logs().lastWritten(id));
        out.put("outputLines", row.outputLines());
        out.put("workspace", workspace(id));
        return out;
    }

    /**
     * The job's workspace changes as kept, masked again, each file with why it is
     * sensitive ({@code sensitive}: null for an ordinary file); null when there are none.
     */
    private Map<String, Object> workspace(String id) {
        WorkspaceChanges c = record.metadata().workspace(id);
        if (c == null) {
            return null;
        }
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("baseline", c.baseline());
        w.put("headBefore", c.headBefore());
        w.put("headAfter", c.headAfter());
        w.put("agentFile", c.agentFile());
        w.put("files", c.files().stream().map(f -> {
            Map<String, Object> file = new LinkedHashMap<>();
            WorkspaceAlerts.Reason reason = WorkspaceAlerts.sensitive(f.path(), c.agentFile());
            file.put("path", redact(f.path()));
            file.put("status", f.status());
            file.put("sensitive", reason == null ? null : reason.words());
            file.put("preexisting", f.preexisting());
            file.put("binary", f.binary());
            file.put("withheld", f.withheld());
            file.put("diffTruncated", f.diffTruncated());
            return file;
        }).toList());
        w.put("filesOmitted", c.filesOmitted());
        w.put("diff", redact(c.diff()));
        w.put("diffTruncated", c.diffTruncated());
        w.put("notes", c.notes().stream().map(this::redact).toList());
        return w;
    }

    @GET
    @Path("{id}/output")
    @Produces({NDJSON, MediaType.APPLICATION_JSON})
    public Response output(@PathParam("id") String id, @QueryParam("from") String from,
            @QueryParam("limit") String limit) {
        Params.jobId(id);
        int first = Params.range("from", from, 1, 1, Integer.MAX_VALUE);
        int max = Params.range("limit", limit, 1000, 1, MAX_OUTPUT_LINES);
        JobIndex.Row row = record.index().get(id);
        List<String> lines = record.logs().read(id, first, max);
        if (row == null && lines.isEmpty()) {
            throw ApiError.notFound("JOB_NOT_FOUND", "Job \"" + id + "\" not found");
        }
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            body.append(record.rules().redact(line)).append('\n');
        }
        boolean complete = row != null && row.status().isTerminal()
                && (row.outputLines() == null || record.logs().lastWritten(id) >= row.outputLines());
        return Response.ok(body.toString(), NDJSON)
                .header("X-Herdctl-Next-Seq", first + lines.size())
                .header("X-Herdctl-Job-Status", row == null ? "unknown" : row.status().wire())
                .header("X-Herdctl-Log-Complete", complete)
                .build();
    }

    private Map<String, Object> summary(JobIndex.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", r.id());
        m.put("agentName", r.agent());
        m.put("schedule", r.schedule());
        m.put("triggerType", r.triggerType());
        m.put("status", r.status().wire());
        m.put("exitReason", r.exitReason());
        m.put("prompt", redact(r.promptHead()));
        m.put("createdAt", r.startedAt().toString());
        m.put("startedAt", r.startedAt().toString());
        m.put("completedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        m.put("durationSeconds", r.durationSeconds());
        m.put("exitCode", r.status() == JobStatus.COMPLETED ? Integer.valueOf(0)
                : r.status() == JobStatus.FAILED ? Integer.valueOf(1) : null);
        m.put("sessionId", r.sessionId());
        m.put("costUsd", r.costUsd());
        m.put("alerts", record.alerts().countFor(r.id()));
        return m;
    }

    private Object redact(Object text) {
        return text == null ? null : record.rules().redact(String.valueOf(text));
    }

    private static Set<JobStatus> statuses(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Set<JobStatus> out = EnumSet.noneOf(JobStatus.class);
        for (String s : value.split(",")) {
            try {
                out.add(JobStatus.fromWire(s.trim().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("status \"" + s.trim() + "\" is not one of "
                        + EnumSet.allOf(JobStatus.class).stream().map(JobStatus::wire).collect(Collectors.joining(", ")));
            }
        }
        return out;
    }

    private static String trigger(String value) {
        String v = Params.blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return TriggerType.fromWire(v.toLowerCase(Locale.ROOT)).wire();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("triggerType \"" + v + "\" is not one of "
                    + EnumSet.allOf(TriggerType.class).stream().map(TriggerType::wire).collect(Collectors.joining(", ")));
        }
    }

    private static JobIndex.Sort sort(String value) {
        String v = Params.blankToNull(value);
        if (v == null) {
            return JobIndex.Sort.STARTED_AT;
        }
        JobIndex.Sort sort = JobIndex.Sort.fromWire(v.startsWith("-") ? v.substring(1) : v);
        if (sort == null) {
            throw ApiError.badRequest("sort \"" + v + "\" is not one of " + JobIndex.Sort.choices());
        }
        return sort;
    }
}
