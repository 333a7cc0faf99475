package io.herdctl.dashboard.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.dashboard.client.SchedulerClient;
import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.dashboard.domain.JobView;
import io.herdctl.dashboard.security.RequestIdentity;
import io.herdctl.dashboard.service.AuditReader;
import io.herdctl.dashboard.service.DoctorReports;
import io.herdctl.dashboard.service.FleetSchedules;
import io.herdctl.dashboard.service.KillSwitch;
import io.herdctl.dashboard.web.Rows.AgentRow;
import io.herdctl.dashboard.web.Rows.AlertRow;
import io.herdctl.dashboard.web.Rows.Fact;
import io.herdctl.dashboard.web.Rows.JobRow;
import io.herdctl.dashboard.web.Rows.LineRow;
import io.herdctl.dashboard.web.Rows.Pager;
import io.herdctl.dashboard.web.Rows.RevisionRow;
import io.herdctl.dashboard.web.Rows.ScheduleRow;
import io.herdctl.dashboard.web.Rows.WorkspaceRow;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.JobCancelRequested;
import io.smallrye.common.annotation.Blocking;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The operator's pages, rendered on the server and usable without scripts: the
 * fleet, an agent (its effective configuration and a trigger form), the job
 * history, a job with its log (followed live by {@code /job.js} over
 * {@link LiveResource}), and the alerts. Live state comes from the read model;
 * history, logs and alerts from audit-service; schedules from scheduler-service.
 * When one of them does not answer, the page says so and shows the rest.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class PageResource {

    static final int RECENT_JOBS = 25;
    static final int PAGE_SIZE = 50;
    /** Lines rendered with the page; the rest of a longer log follows over the live stream. */
    static final int FIRST_LINES = 2_000;
    static final Duration REQUEST_WAIT = Duration.ofSeconds(5);

    private final FleetView view;
    private final AuditReader audit;
    private final FleetSchedules schedules;
    private final SchedulerClient scheduler;
    private final RequestIdentity identity;
    private final Charts charts;
    private final KillSwitch killSwitch;
    private final DoctorReports doctorReports;

    public PageResource(FleetView view, AuditReader audit, FleetSchedules schedules,
            @RestClient SchedulerClient scheduler, RequestIdentity identity, Charts charts, KillSwitch killSwitch,
            DoctorReports doctorReports) {
        this.killSwitch = killSwitch;
        this.doctorReports = doctorReports;
        this.view = view;
        this.audit = audit;
        this.schedules = schedules;
        this.scheduler = scheduler;
        this.identity = identity;
        this.charts = charts;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(RevisionRow revision, KillSwitch.State fleet, List<AgentRow> agents,
                String schedulesError, List<JobRow> jobs, Charts.Set charts, int alertCount);

        static native TemplateInstance agent(AgentRow agent, List<Fact> facts, List<Fact> hardening,
                DoctorReports.Report doctor, List<JobRow> jobs, String jobsError, String prompt, String triggerError,
                int alertCount);

        static native TemplateInstance jobs(List<JobRow> jobs, Pager pager, String error, Map<String, String> filter,
                List<String> agents, int alertCount);

        static native TemplateInstance alerts(List<AlertRow> alerts, Pager pager, String error,
                Map<String, String> filter, int alertCount);

        static native TemplateInstance job(JobRow job, String prompt, String summary, String error, String usage,
                List<LineRow> lines, long next, String outputError, int alertCount, boolean live, boolean cancellable,
                String cancelRequested, WorkspaceRow workspace);

        static native TemplateInstance job$line(LineRow line);
    }

    @GET
    public TemplateInstance index() {
        Map<String, List<JobView>> jobsByAgent = view.jobsByAgent();
        FleetSchedules.Snapshot plans = schedules.snapshot();
        List<AgentRow> agents = view.agents().stream()
                .map(a -> agentRow(a, jobsByAgent.getOrDefault(a.qualifiedName(), List.of()), plans)).toList();
        List<JobRow> jobs = view.jobs(j -> true).stream().limit(RECENT_JOBS).map(JobRow::of).toList();
        return Templates.index(revision(), killSwitch.state(), agents, plans.error(), jobs, charts.overview(),
                alertCount());
    }

    @GET
    @Path("agents/{name}")
    public TemplateInstance agent(@PathParam("name") String name) {
        return agentPage(name, null, null);
    }

    /**
     * The trigger form: a job for the agent now, with the prompt typed (or its
     * default). On success the browser goes to the new job's page.
     */
    @POST
    @Path("agents/{name}/trigger")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response trigger(@PathParam("name") String name, @FormParam("prompt") String prompt,
            @FormParam("schedule") String schedule, @FormParam("_csrf") String csrf) {
        identity.checkCsrf(csrf);
        AgentSpec agent = view.agent(name).orElseThrow(() -> new NotFoundException("no agent " + name));
        String typed = prompt == null || prompt.isBlank() ? null : prompt.strip();
        String chosen = schedule == null || schedule.isBlank() ? null : schedule;
        TriggerProxy.Result result = TriggerProxy.send(scheduler, agent.qualifiedName(),
                new SchedulerClient.TriggerRequest(typed, chosen, null));
        if (result.jobId() != null) {
            awaitRequest(result.jobId());
            return Response.seeOther(URI.create("/jobs/" + result.jobId())).build();
        }
        return Response.status(result.status()).entity(agentPage(name, typed, result.message())).build();
    }

    /**
     * The job's page can only show it once the read model has its request; that
     * is usually milliseconds after the scheduler answered. Waits a little for it.
     */
    private void awaitRequest(String jobId) {
        long deadline = System.nanoTime() + REQUEST_WAIT.toNanos();
        while (view.job(jobId).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private TemplateInstance agentPage(String name, String prompt, String triggerError) {
        AgentSpec a = view.agent(name).orElseThrow(() -> new NotFoundException("no agent " + name));
        List<JobRow> jobs = List.of();
        String jobsError = null;
        try {
            AuditReader.Answer answer = audit.jobs(a.qualifiedName(), null, null, null, null, null, RECENT_JOBS, 0);
            if (answer.ok()) {
                jobs = listed(answer.body().path("jobs"));
            } else {
                jobsError = answer.message();
            }
        } catch (AuditReader.Unavailable e) {
            jobsError = e.getMessage();
        }
        AgentRow row = agentRow(a, view.jobs(j -> j.agent().equals(a.qualifiedName())), schedules.snapshot());
        return Templates.agent(row, EffectiveConfig.facts(a), EffectiveConfig.hardening(a),
                doctorReports.of(a.qualifiedName()), jobs, jobsError,
                prompt == null ? (a.defaultPrompt() == null ? "" : a.defaultPrompt()) : prompt, triggerError,
                alertCount());
    }

    @GET
    @Path("jobs")
    public TemplateInstance jobs(@QueryParam("agent") String agent, @QueryParam("status") String status,
            @QueryParam("trigger") String trigger, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("sort") String sort, @QueryParam("page") Integer page) {
        Map<String, String> filter = filter("agent", agent, "status", status, "trigger", trigger, "since", since,
                "until", until, "sort", sort);
        int p = page == null || page < 1 ? 1 : page;
        List<String> agents = view.agents().stream().map(AgentSpec::qualifiedName).toList();
        try {
            AuditReader.Answer answer = audit.jobs(agent, status, trigger, since, until, sort, PAGE_SIZE,
                    (p - 1) * PAGE_SIZE);
            if (!answer.ok()) {
                return Templates.jobs(List.of(), null, answer.message(), filter, agents, alertCount());
            }
            return Templates.jobs(listed(answer.body().path("jobs")), pager("/jobs", filter, p,
                    answer.body().path("total").asLong()), null, filter, agents, alertCount());
        } catch (AuditReader.Unavailable e) {
            return Templates.jobs(List.of(), null, e.getMessage(), filter, agents, alertCount());
        }
    }

    @GET
    @Path("alerts")
    public TemplateInstance alerts(@QueryParam("agent") String agent, @QueryParam("rule") String rule,
            @QueryParam("severity") String severity, @QueryParam("job") String job, @QueryParam("page") Integer page) {
        Map<String, String> filter = filter("agent", agent, "rule", rule, "severity", severity, "job", job);
        int p = page == null || page < 1 ? 1 : page;
        try {
            AuditReader.Answer answer = audit.alerts(job, agent, rule, severity, null, null, PAGE_SIZE,
                    (p - 1) * PAGE_SIZE);
            if (!answer.ok()) {
                return Templates.alerts(List.of(), null, answer.message(), filter, alertCount());
            }
            List<AlertRow> rows = new ArrayList<>();
            answer.body().path("alerts").forEach(a -> rows.add(AlertRow.of(a)));
            return Templates.alerts(rows, pager("/alerts", filter, p, answer.body().path("total").asLong()), null,
                    filter, alertCount());
        } catch (AuditReader.Unavailable e) {
            return Templates.alerts(List.of(), null, e.getMessage(), filter, alertCount());
        }
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance job(@PathParam("id") String id) {
        Optional<JobView> live = view.job(id);
        JsonNode stored = null;
        if (live.isEmpty()) {
            try {
                stored = audit.job(id).orElse(null);
            } catch (AuditReader.Unavailable e) {
                stored = null;
            }
            if (stored == null) {
                throw new NotFoundException("no job " + id);
            }
        }
        JobRow row = live.map(JobRow::of).orElse(stored == null ? null : JobRow.ofAudit(stored));
        Map<Long, String> alerts = new LinkedHashMap<>();
        String outputError = null;
        List<LineRow> lines = new ArrayList<>();
        long next = 1;
        try {
            audit.alertsOf(id).forEach(a -> alerts.merge(a.seq(), a.text(), (x, y) -> x + "; " + y));
            for (String line : audit.output(id, 1, FIRST_LINES).lines()) {
                lines.add(OutputLines.row(next, line, alerts.get(next)));
                next++;
            }
        } catch (AuditReader.Unavailable e) {
            outputError = e.getMessage();
        }
        String prompt;
        String summary;
        String error;
        String usage;
        boolean running;
        if (live.isPresent()) {
            JobView j = live.get();
            prompt = j.prompt();
            summary = j.summary();
            error = j.error();
            usage = j.usage() == null ? null : String.format(Locale.ROOT,
                    "%s in / %s out tokens, %s turns, $%.4f", j.usage().inputTokens(), j.usage().outputTokens(),
                    j.usage().numTurns(), j.usage().totalCostUsd() == null ? 0.0 : j.usage().totalCostUsd());
            running = !j.status().isTerminal();
        } else {
            prompt = stored.path("prompt").asText(null);
            summary = stored.path("summary").asText(null);
            error = stored.path("error").asText(null);
            JsonNode u = stored.path("usage");
            usage = u.isMissingNode() || u.isNull() ? null : String.format(Locale.ROOT,
                    "%s turns, $%.4f", u.path("num_turns").asText("?"), u.path("total_cost_usd").asDouble());
            running = !List.of("completed", "failed", "cancelled").contains(row.status());
        }
        JobCancelRequested cancel = view.cancelRequest(id).orElse(null);
        return Templates.job(row, prompt, summary, error, usage, lines, next, outputError, alerts.size(), running,
                running && cancel == null, cancel == null ? null : Rows.cancel(cancel), workspace(id, stored, running));
    }

    /**
     * The job's workspace changes, which only audit-service keeps (they come with the
     * terminal status): from its answer already read, or asked for once the job ended.
     */
    private WorkspaceRow workspace(String id, JsonNode stored, boolean running) {
        if (running) {
            return null;
        }
        try {
            JsonNode job = stored != null ? stored : audit.job(id).orElse(null);
            return job == null ? null : WorkspaceRow.ofAudit(job.get("workspace"));
        } catch (AuditReader.Unavailable e) {
            return null;
        }
    }

    private RevisionRow revision() {
        FleetRevisionEvaluated last = view.lastRevision().orElse(null);
        if (last == null) {
            return null;
        }
        FleetRevisionEvaluated inForce = view.acceptedRevision().orElse(null);
        return new RevisionRow(last.revision(), Rows.when(last.time()), last.accepted(),
                inForce == null ? null : inForce.revision(), problems(last.errors()), problems(last.warnings()));
    }

    private static List<String> problems(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).toList();
    }

    private int alertCount() {
        return view.alertCount();
    }

    static AgentRow agentRow(AgentSpec a, List<JobView> jobsNewestFirst, FleetSchedules.Snapshot plans) {
        List<ScheduleRow> rows = a.schedules().entrySet().stream().map(e -> {
            FleetSchedules.Plan plan = plans.of(a.qualifiedName(), e.getKey());
            AgentSpec.ScheduleSpec s = e.getValue();
            String kind = s.type() + (s.interval() != null ? " every " + s.interval() : "")
                    + (s.cron() != null ? " " + s.cron() : "");
            if (plan == null) {
                return new ScheduleRow(e.getKey(), kind, "", "", s.enabled() ? "enabled" : "disabled", null);
            }
            return new ScheduleRow(e.getKey(), kind, plan.next(), plan.last(), plan.enabled() ? "enabled" : "disabled",
                    plan.note());
        }).toList();
        AgentSpec.DockerSpec d = a.docker();
        String container = d.enabled() ? d.image() + ", " + d.memory() + " memory, network " + d.network()
                + ", workspace " + d.workspaceMode() : "no container (runs on the host)";
        int running = (int) jobsNewestFirst.stream().filter(j -> !j.status().isTerminal()).count();
        return new AgentRow(a.qualifiedName(), a.description(), rows, container, running,
                jobsNewestFirst.isEmpty() ? "never run" : jobsNewestFirst.get(0).status().wire(),
                jobsNewestFirst.isEmpty() ? null : jobsNewestFirst.get(0).jobId());
    }

    private static List<JobRow> listed(JsonNode jobs) {
        List<JobRow> rows = new ArrayList<>();
        jobs.forEach(j -> rows.add(JobRow.ofAudit(j)));
        return rows;
    }

    /** The filters that were set, in order, for the form and the page links. */
    private static Map<String, String> filter(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null && !pairs[i + 1].isBlank()) {
                out.put(pairs[i], pairs[i + 1].strip());
            }
        }
        return out;
    }

    static Pager pager(String path, Map<String, String> filter, int page, long total) {
        int from = (page - 1) * PAGE_SIZE + 1;
        int to = (int) Math.min(total, (long) page * PAGE_SIZE);
        String query = filter.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String base = path + "?" + (query.isEmpty() ? "" : query + "&") + "page=";
        return new Pager(total == 0 ? 0 : from, to, total, page > 1 ? base + (page - 1) : null,
                to < total ? base + (page + 1) : null);
    }
}
