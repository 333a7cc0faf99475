package io.herdctl.dashboard.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.dashboard.client.ConfigClient;

/**
 * {@code herdctl doctor}'s findings for one agent, as config-service grades the
 * fleet it watches, worst first, for the agent's page.
 */
@ApplicationScoped
public class DoctorReports {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ORDER = List.of("critical", "high", "medium", "low", "info", "ok");

    private final ConfigClient config;

    public DoctorReports(@RestClient ConfigClient config) {
        this.config = config;
    }

    /** One finding: {@code fleetWide} when it is about the fleet rather than this agent. */
    public record Item(String severity, String check, String location, String field, String message, String fix,
            boolean fleetWide) {
    }

    /** The findings and when they were taken; {@code error} says why there are none to show. */
    public record Report(List<Item> items, List<String> passed, String worst, String takenAt, String error) {
    }

    public Report of(String agent) {
        try (Response r = config.doctor(agent)) {
            JsonNode body = JSON.readTree(r.readEntity(String.class));
            JsonNode report = body.path("report");
            if (!report.path("loaded").asBoolean()) {
                return new Report(List.of(), List.of(), null, body.path("takenAt").asText(null),
                        "the fleet files do not load now; `./herdctl config validate` says why");
            }
            List<Item> items = new ArrayList<>();
            java.util.Set<String> passed = new java.util.TreeSet<>();
            for (JsonNode f : report.path("findings")) {
                if (severity(f.path("severity").asText()).equals("ok")) {
                    passed.add(f.path("id").asText());
                    continue;
                }
                String file = f.path("file").asText(null);
                String location = file == null ? "" : f.path("line").isNumber() ? file + ":" + f.path("line").asInt()
                        : file;
                items.add(new Item(severity(f.path("severity").asText()), f.path("id").asText(), location,
                        f.path("field").asText(null), f.path("message").asText(""), f.path("fix").asText(null),
                        f.path("agent").isNull() || f.path("agent").isMissingNode()));
            }
            items.sort(java.util.Comparator.comparingInt(i -> rank(i.severity())));
            items.forEach(i -> passed.remove(i.check()));
            return new Report(items, List.copyOf(passed), severity(report.path("worst").asText()),
                    body.path("takenAt").asText(null), null);
        } catch (WebApplicationException e) {
            return new Report(List.of(), List.of(), null, null, "config-service answered "
                    + e.getResponse().getStatus());
        } catch (ProcessingException | java.io.IOException e) {
            return new Report(List.of(), List.of(), null, null,
                    "config-service did not answer; the security checklist is not shown");
        }
    }

    private static String severity(String wire) {
        return wire == null ? "" : wire.toLowerCase(java.util.Locale.ROOT);
    }

    private static int rank(String severity) {
        int i = ORDER.indexOf(severity);
        return i < 0 ? ORDER.size() : i;
    }
}
