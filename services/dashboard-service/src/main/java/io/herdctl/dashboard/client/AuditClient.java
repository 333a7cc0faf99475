package io.herdctl.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * audit-service's read API: the job history, each job's stored log, alerts and
 * the statistics behind the charts. Every answer is already masked by audit-service.
 */
@RegisterRestClient(configKey = "audit")
@Path("/api")
public interface AuditClient {

    String NDJSON = "application/x-ndjson";

    @GET
    @Path("/jobs")
    @Produces(MediaType.APPLICATION_JSON)
    Response jobs(@QueryParam("agent") String agent, @QueryParam("status") String status,
            @QueryParam("triggerType") String triggerType, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("sort") String sort, @QueryParam("limit") Integer limit,
            @QueryParam("offset") Integer offset);

    @GET
    @Path("/jobs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    Response job(@PathParam("id") String id);

    /** Lines {@code from}.. of the job's log, one stored JSONL line each; headers say where the next read starts. */
    @GET
    @Path("/jobs/{id}/output")
    @Produces(NDJSON)
    Response output(@PathParam("id") String id, @QueryParam("from") long from, @QueryParam("limit") int limit);

    @GET
    @Path("/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    Response alerts(@QueryParam("job") String job, @QueryParam("agent") String agent, @QueryParam("rule") String rule,
            @QueryParam("severity") String severity, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset);

    @GET
    @Path("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    Response stats(@QueryParam("days") int days);
}
