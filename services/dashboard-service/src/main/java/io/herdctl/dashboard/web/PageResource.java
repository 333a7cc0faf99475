package io.herdctl.dashboard.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.dashboard.domain.JobView;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobOutputEmitted;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Server-rendered pages: the fleet with its recent jobs, and one job with its
 * output. A pending or running job's page offers a Cancel button (driven by
 * {@code /job.js}, since the Content-Security-Policy allows no inline script)
 * until a cancel has been requested; then it says so.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PageResource {

    static final int RECENT_JOBS = 25;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final FleetView view;

    public PageResource(FleetView view) {
        this.view = view;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<AgentRow> agents, List<JobRow> jobs, int alertCount);

        static native TemplateInstance job(JobRow job, String prompt, String summary, String error, String usage,
                List<LineRow> lines, int alertCount, boolean live, boolean cancellable, String cancelRequested);
    }

    public record AgentRow(String name, String description, String schedules, String docker, String lastStatus,
            String lastJobId) {
    }

    public record JobRow(String jobId, String agent, String trigger, String status, String created, String started,
            String finished, String duration, String exitCode, String exitReason, String sessionId) {
    }

    public record LineRow(long seq, String time, String stream, String type, String label, String text, String alert) {
    }

    @GET
    public TemplateInstance index() {
        Map<String, List<JobView>> jobsByAgent = view.jobsByAgent();
        List<AgentRow> agents = view.agents().stream()
                .map(a -> agentRow(a, jobsByAgent.getOrDefault(a.qualifiedName(), List.of()))).toList();
        List<JobRow> jobs = view.jobs(j -> true).stream().limit(RECENT_JOBS).map(PageResource::jobRow).toList();
        return Templates.index(agents, jobs, view.alerts(a -> true).size());
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance job(@PathParam("id") String id) {
        JobView job = view.job(id).orElseThrow(() -> new NotFoundException("no job " + id));
        Map<Long, String> alerts = view.alerts(a -> a.jobId().equals(id)).stream()
                .collect(Collectors.toMap(AuditAlertRaised::seq, a -> a.severity().wire() + ": " + a.title(),
                        (a, b) -> a + "; " + b));
        List<LineRow> lines = view.output(id).stream().map(l -> lineRow(l, alerts.get(l.seq()))).toList();
        String usage = job.usage() == null ? null : String.format("%s in / %s out tokens, %s turns, $%.4f",
                job.usage().inputTokens(), job.usage().outputTokens(), job.usage().numTurns(),
                job.usage().totalCostUsd() == null ? 0.0 : job.usage().totalCostUsd());
        JobCancelRequested cancel = view.cancelRequest(id).orElse(null);
        boolean live = !job.status().isTerminal();
        return Templates.job(jobRow(job), job.prompt(), job.summary(), job.error(), usage, lines, alerts.size(), live,
                live && cancel == null, cancel == null ? null : cancelRow(cancel));
    }

    /** "by dashboard at 2026-03-04 05:06:07 UTC: reason", for the job page. */
    static String cancelRow(JobCancelRequested c) {
        return "by " + (c.requestedBy() == null ? "unknown" : c.requestedBy()) + " at " + time(c.time())
                + (c.reason() == null || c.reason().isBlank() ? "" : ": " + c.reason());
    }

    private static AgentRow agentRow(AgentSpec a, List<JobView> jobs) {
        String schedules = a.schedules().isEmpty() ? "none" : a.schedules().entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().type()
                        + (e.getValue().interval() != null ? " every " + e.getValue().interval() : "")
                        + (e.getValue().enabled() ? "" : ", disabled") + ")")
                .collect(Collectors.joining(", "));
        AgentSpec.DockerSpec d = a.docker();
        String docker = d.enabled() ? d.image() + ", " + d.memory() + " memory, network " + d.network() + ", workspace "
                + d.workspaceMode() : "disabled";
        return new AgentRow(a.qualifiedName(), a.description(), schedules, docker,
                jobs.isEmpty() ? "never run" : jobs.get(0).status().wire(), jobs.isEmpty() ? null : jobs.get(0).jobId());
    }

    static JobRow jobRow(JobView j) {
        return new JobRow(j.jobId(), j.agent(), j.triggerType() == null ? "" : j.triggerType().wire()
                + (j.schedule() != null ? " (" + j.schedule() + ")" : ""), j.status().wire(), time(j.createdAt()),
                time(j.startedAt()), time(j.finishedAt()), duration(j.durationMs()),
                j.exitCode() == null ? "" : j.exitCode().toString(), j.exitReason() == null ? "" : j.exitReason().wire(),
                j.sessionId() == null ? "" : j.sessionId());
    }

    static LineRow lineRow(JobOutputEmitted l, String alert) {
        Map<String, Object> e = l.entry();
        String label;
        String text;
        switch (l.type()) {
            case "assistant" -> {
                label = "assistant";
                text = str(e.get("content"));
            }
            case "tool_use" -> {
                label = "tool call: " + str(e.get("tool_name"));
                text = e.get("input") == null ? "" : EventJson.write(e.get("input"));
            }
            case "tool_result" -> {
                boolean ok = !Boolean.FALSE.equals(e.get("success"));
                label = ok ? "tool result" : "tool error";
                text = str(ok ? e.get("result") : e.get("error"));
            }
            case "error" -> {
                label = "error";
                text = str(e.get("message"));
            }
            default -> {
                label = l.type() + (e.get("subtype") != null ? " / " + e.get("subtype") : "");
                text = str(e.get("content"));
            }
        }
        return new LineRow(l.seq(), time(l.time()), l.stream().wire(), l.type(), label, text, alert);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String duration(Long ms) {
        if (ms == null) {
            return "";
        }
        Duration d = Duration.ofMillis(ms);
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : String.format("%.1f s", ms / 1000.0);
    }
}
