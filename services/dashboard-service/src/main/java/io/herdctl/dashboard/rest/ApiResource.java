package io.herdctl.dashboard.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.herdctl.dashboard.client.ScheduleClient;
import io.herdctl.dashboard.client.SchedulerClient;
import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.dashboard.domain.JobView;
import io.herdctl.dashboard.security.RequestIdentity;
import io.herdctl.dashboard.service.AuditReader;
import io.herdctl.dashboard.service.CancelService;
import io.herdctl.dashboard.service.FleetSchedules;
import io.herdctl.events.JobIds;
import io.smallrye.common.annotation.Blocking;

/** herdctl's web API, in the original's shapes, for what this version has. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    static final int MAX_LIMIT = 100;
    static final int MAX_REASON_LENGTH = 1_000;

    private final FleetView view;
    private final SchedulerClient scheduler;
    private final CancelService cancels;
    private final RequestIdentity identity;
    private final ScheduleClient schedules;
    private final AuditReader audit;
    private final FleetSchedules schedulePlans;

    public ApiResource(FleetView view, @RestClient SchedulerClient scheduler, @RestClient ScheduleClient schedules,
            CancelService cancels, RequestIdentity identity, AuditReader audit, FleetSchedules schedulePlans) {
        this.view = view;
        this.audit = audit;
        this.schedulePlans = schedulePlans;
        this.scheduler = scheduler;
        this.schedules = schedules;
        this.cancels = cancels;
        this.identity = identity;
    }

    @GET
    @Path("/health")
    public ApiViews.Health health() {
        return new ApiViews.Health("ok", Instant.now());
    }

    @GET
    @Path("/agents")
    public List<ApiViews.AgentInfo> agents() {
        Map<String, List<JobView>> jobs = view.jobsByAgent();
        return view.agents().stream()
                .map(a -> ApiViews.AgentInfo.of(a, jobs.getOrDefault(a.qualifiedName(), List.of())))
                .toList();
    }

    @GET
    @Path("/agents/{name}")
    public Response agent(@PathParam("name") String name) {
        return view.agent(name)
                .map(a -> Response.ok(ApiViews.AgentInfo.of(a, view.jobs(j -> j.agent().equals(name)))).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "AGENT_NOT_FOUND", "Agent \"" + name + "\" not found"));
    }

    @POST
    @Path("/agents/{name}/trigger")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response trigger(@PathParam("name") String name, SchedulerClient.TriggerRequest body) {
        return fromScheduler(() -> scheduler.trigger(name,
                body == null ? new SchedulerClient.TriggerRequest(null, null, null) : body), Map.class);
    }

    /** The schedules, as scheduler-service tells them (next fire UTC and local, last fire, why a slot waits). */
    @GET
    @Path("/schedules")
    @Blocking
    public Response schedules() {
        return fromScheduler(schedules::list, List.class);
    }

    @POST
    @Path("/schedules/{agent}/{schedule}/enable")
    @Blocking
    public Response enable(@PathParam("agent") String agent, @PathParam("schedule") String schedule) {
        return fromScheduler(() -> schedules.set(agent, schedule, "enable"), Map.class);
    }

    @POST
    @Path("/schedules/{agent}/{schedule}/disable")
    @Blocking
    public Response disable(@PathParam("agent") String agent, @PathParam("schedule") String schedule) {
        return fromScheduler(() -> schedules.set(agent, schedule, "disable"), Map.class);
    }

    /** scheduler-service's answer passed on (status and JSON body); 503 when it does not answer. */
    private static Response fromScheduler(java.util.function.Supplier<Response> call, Class<?> body) {
        try (Response response = call.get()) {
            return Response.status(response.getStatus()).entity(response.readEntity(body)).build();
        } catch (WebApplicationException e) {
            Response r = e.getResponse();
            Object entity = r.hasEntity() ? r.readEntity(Map.class) : Map.of("error", Map.of("message", e.getMessage()));
            return Response.status(r.getStatus()).entity(entity).build();
        } catch (ProcessingException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "SCHEDULER_UNAVAILABLE",
                    "scheduler-service did not answer: " + e.getMessage());
        }
    }

    /**
     * herdctl's job list, from audit-service's history (every job, not only the
     * recent ones the read model keeps): {@code agentName} and {@code status} as in
     * herdctl, plus audit-service's {@code triggerType}, {@code since}, {@code until}
     * and {@code sort}; its answer, errors included, is passed on.
     */
    @GET
    @Path("/jobs")
    @Blocking
    public Response jobs(@QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("agentName") String agentName, @QueryParam("status") String status,
            @QueryParam("triggerType") String triggerType, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("sort") String sort) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            return error(Response.Status.BAD_REQUEST, "INVALID_PAGE", "limit must be 1.." + MAX_LIMIT
                    + " and offset 0 or more");
        }
        return fromAudit(() -> audit.jobs(agentName, status, triggerType, since, until, sort, limit, offset));
    }

    /** A job as the read model has it (live, with usage), else as audit-service recorded it. */
    @GET
    @Path("/jobs/{id}")
    @Blocking
    public Response job(@PathParam("id") String id) {
        return view.job(id).map(j -> Response.ok(ApiViews.JobInfo.of(j)).build())
                .orElseGet(() -> {
                    if (!JobIds.isValid(id)) {
                        return error(Response.Status.NOT_FOUND, "JOB_NOT_FOUND", "Job '" + id + "' not found");
                    }
                    return fromAudit(() -> audit.job(id).map(j -> new AuditReader.Answer(200, j))
                            .orElse(new AuditReader.Answer(404, null)));
                });
    }

    /** herdctl's fleet status: the counts, the configuration in force, the scheduler's plans. */
    @GET
    @Path("/fleet/status")
    @Blocking
    public ApiViews.FleetStatus fleetStatus() {
        return ApiViews.FleetStatus.of(view, schedulePlans.snapshot());
    }

    private static Response fromAudit(java.util.function.Supplier<AuditReader.Answer> call) {
        try {
            AuditReader.Answer answer = call.get();
            if (answer.status() == 404 && (answer.body() == null || answer.body().isEmpty())) {
                return error(Response.Status.NOT_FOUND, "JOB_NOT_FOUND", "Job not found");
            }
            return Response.status(answer.status()).entity(answer.body()).type(MediaType.APPLICATION_JSON).build();
        } catch (AuditReader.Unavailable e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "AUDIT_UNAVAILABLE", e.getMessage());
        }
    }

    /**
     * Asks the runners to stop a pending or running job (not in herdctl's API).
     * 202 once the request is on the broker; the job's status turns
     * {@code cancelled} when its runner has stopped it.
     */
    @POST
    @Path("/jobs/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response cancel(@PathParam("id") String id, ApiViews.CancelRequest body) {
        return requestCancel(id, body == null ? null : body.reason());
    }

    /**
     * The same with no body at all ({@code curl -X POST}). A body of any other
     * type is refused, as on the trigger: only JSON, which a page elsewhere
     * cannot send without the browser asking first, names a reason.
     */
    @POST
    @Path("/jobs/{id}/cancel")
    @Blocking
    public Response cancelWithoutBody(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        if (contentType != null) {
            return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "Send no body, or JSON "
                    + "({\"reason\": \"...\"}) with Content-Type: application/json; got " + contentType);
        }
        return requestCancel(id, null);
    }

    private Response requestCancel(String id, String reasonAsSent) {
        String reason = reasonAsSent == null || reasonAsSent.isBlank() ? null : reasonAsSent.strip();
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            return error(Response.Status.BAD_REQUEST, "INVALID_REASON", "\"reason\" is " + reason.length()
                    + " characters long; at most " + MAX_REASON_LENGTH + " are allowed");
        }
        CancelService.Outcome outcome;
        try {
            outcome = cancels.cancel(id, reason, identity.actor());
        } catch (IllegalStateException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "BROKER_UNAVAILABLE", e.getMessage());
        }
        if (outcome instanceof CancelService.Requested r) {
            return Response.accepted(new ApiViews.CancelAccepted(r.request().jobId(),
                    ApiViews.CancelAccepted.CANCEL_REQUESTED)).build();
        }
        if (outcome instanceof CancelService.AlreadyFinished f) {
            return error(Response.Status.CONFLICT, "JOB_ALREADY_FINISHED", "Job '" + f.jobId() + "' has already "
                    + "finished (" + f.status().wire() + "); there is nothing to cancel");
        }
        return error(Response.Status.NOT_FOUND, "JOB_NOT_FOUND", "Job '" + id + "' not found");
    }

    static Response error(Response.Status status, String code, String message) {
        return ApiErrors.of(status, code, message);
    }
}
