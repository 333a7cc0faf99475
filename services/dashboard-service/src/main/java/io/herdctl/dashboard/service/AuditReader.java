package io.herdctl.dashboard.service;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.herdctl.dashboard.client.AuditClient;

/**
 * What the dashboard reads from audit-service, the owner of the job history: an
 * answer is its status and JSON body passed on as they are (audit-service's
 * errors already say what was wrong with a filter); {@link Unavailable} when it
 * does not answer at all.
 */
@ApplicationScoped
public class AuditReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int JOB_ALERTS = 500;

    private final AuditClient audit;

    public AuditReader(@RestClient AuditClient audit) {
        this.audit = audit;
    }

    /** audit-service did not answer; pages say so and the API answers 503. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(ProcessingException cause) {
            super("audit-service did not answer: " + cause.getMessage(), cause);
        }
    }

    /** An answer: 2xx with the body asked for, or an error with audit-service's {@code {"error": …}} body. */
    public record Answer(int status, JsonNode body) {

        public boolean ok() {
            return status / 100 == 2;
        }

        /** The error message audit-service gave, for a page. */
        public String message() {
            return body.path("error").path("message").asText("audit-service answered HTTP " + status);
        }
    }

    /**
     * A run of a job's stored log: the lines (file lines, in order) starting at
     * {@code from}, where the next read starts, the job's status as audit-service
     * knows it, and whether the log is complete (the job ended and every line is in).
     */
    public record Chunk(long from, List<String> lines, long next, String status, boolean complete) {
    }

    public Answer jobs(String agent, String status, String triggerType, String since, String until, String sort,
            Integer limit, Integer offset) {
        return call(() -> audit.jobs(agent, status, triggerType, since, until, sort, limit, offset));
    }

    public Optional<JsonNode> job(String id) {
        Answer answer = call(() -> audit.job(id));
        return answer.ok() ? Optional.of(answer.body()) : Optional.empty();
    }

    public Answer alerts(String job, String agent, String rule, String severity, String since, String until,
            Integer limit, Integer offset) {
        return call(() -> audit.alerts(job, agent, rule, severity, since, until, limit, offset));
    }

    /** An alert as a job page shows it at its line: "severity: title". */
    public record LineAlert(String id, long seq, String text) {

        public static LineAlert of(io.herdctl.events.AuditAlertRaised a) {
            return new LineAlert(a.eventId(), a.seq(), a.severity().wire() + ": " + a.title());
        }
    }

    /** The alerts raised on a job's lines so far (the first {@value #JOB_ALERTS}); none when audit-service refuses. */
    public List<LineAlert> alertsOf(String jobId) {
        Answer answer = alerts(jobId, null, null, null, null, null, JOB_ALERTS, 0);
        List<LineAlert> out = new java.util.ArrayList<>();
        if (answer.ok()) {
            answer.body().path("alerts").forEach(a -> out.add(new LineAlert(a.path("id").asText(),
                    a.path("seq").asLong(), a.path("severity").asText() + ": " + a.path("title").asText())));
        }
        return out;
    }

    public Answer stats(int days) {
        return call(() -> audit.stats(days));
    }

    /** Up to {@code limit} lines from {@code from}; none, with status {@code unknown}, for a job with no record yet. */
    public Chunk output(String jobId, long from, int limit) {
        try (Response r = audit.output(jobId, from, limit)) {
            String body = r.readEntity(String.class);
            List<String> lines = body == null || body.isEmpty() ? List.of() : List.of(body.split("\n"));
            long next = Long.parseLong(Optional.ofNullable(r.getHeaderString("X-Herdctl-Next-Seq"))
                    .orElse(String.valueOf(from + lines.size())));
            return new Chunk(from, lines, next, Optional.ofNullable(r.getHeaderString("X-Herdctl-Job-Status"))
                    .orElse("unknown"), Boolean.parseBoolean(r.getHeaderString("X-Herdctl-Log-Complete")));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return new Chunk(from, List.of(), from, "unknown", false);
            }
            throw new IllegalStateException("audit-service refused to read the log of " + jobId + ": HTTP "
                    + e.getResponse().getStatus());
        } catch (ProcessingException e) {
            throw new Unavailable(e);
        }
    }

    private static Answer call(Supplier<Response> request) {
        try (Response r = request.get()) {
            return new Answer(r.getStatus(), body(r));
        } catch (WebApplicationException e) {
            return new Answer(e.getResponse().getStatus(), body(e.getResponse()));
        } catch (ProcessingException e) {
            throw new Unavailable(e);
        }
    }

    private static JsonNode body(Response r) {
        try {
            String text = r.hasEntity() ? r.readEntity(String.class) : null;
            return text == null || text.isBlank() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(text);
        } catch (Exception e) {
            return JsonNodeFactory.instance.objectNode().set("error", JsonNodeFactory.instance.objectNode()
                    .put("message", "audit-service answered HTTP " + r.getStatus() + " with a body that is not JSON"));
        }
    }
}
