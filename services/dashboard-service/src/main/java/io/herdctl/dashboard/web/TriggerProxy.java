package io.herdctl.dashboard.web;

import java.util.Map;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.herdctl.dashboard.client.SchedulerClient;

/** A trigger sent to scheduler-service from the form, reduced to what the page needs: the new job, or why not. */
final class TriggerProxy {

    private TriggerProxy() {
    }

    record Result(int status, String jobId, String message) {
    }

    @SuppressWarnings("unchecked")
    static Result send(SchedulerClient scheduler, String agent, SchedulerClient.TriggerRequest request) {
        try (Response r = scheduler.trigger(agent, request)) {
            Map<String, Object> body = r.readEntity(Map.class);
            return new Result(r.getStatus(), String.valueOf(body.get("jobId")), null);
        } catch (WebApplicationException e) {
            Response r = e.getResponse();
            return new Result(r.getStatus(), null, io.herdctl.dashboard.rest.ApiErrors.messageOf(r,
                    "scheduler-service refused the trigger (HTTP " + r.getStatus() + ")"));
        } catch (ProcessingException e) {
            return new Result(503, null, "scheduler-service did not answer; the job was not started");
        }
    }
}
