package io.herdctl.dashboard.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import io.herdctl.dashboard.live.LiveOutput;
import io.herdctl.dashboard.rest.ApiErrors;
import io.herdctl.events.JobIds;

/**
 * A job's log as Server-Sent Events, from line {@code from} (default 1), or from
 * the line after {@code Last-Event-ID} when the browser reconnects: nothing is
 * missed or repeated across a dropped connection. See {@code Viewer} for the events.
 */
@Path("/jobs/{id}/live")
public class LiveResource {

    private final LiveOutput live;

    public LiveResource(LiveOutput live) {
        this.live = live;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void follow(@PathParam("id") String id, @QueryParam("from") Long from,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse) {
        if (!JobIds.isValid(id)) {
            throw new NotFoundException("no job " + id);
        }
        long start = from == null || from < 1 ? 1 : from;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                start = Long.parseLong(lastEventId.strip()) + 1;
            } catch (NumberFormatException e) {
                throw new WebApplicationException(ApiErrors.of(Response.Status.BAD_REQUEST, "INVALID_LAST_EVENT_ID",
                        "Last-Event-ID must be a line number, was \"" + lastEventId + "\""));
            }
        }
        if (!live.open(id, start, sink, sse)) {
            throw new WebApplicationException(ApiErrors.of(Response.Status.SERVICE_UNAVAILABLE, "TOO_MANY_VIEWERS",
                    "this dashboard instance follows as many live logs as it is configured for; try again later"));
        }
    }
}
