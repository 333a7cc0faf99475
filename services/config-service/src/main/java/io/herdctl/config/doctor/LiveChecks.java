package io.herdctl.config.doctor;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The part of the checklist only a running system can answer, asked of its
 * services' HTTP APIs: whether every service is ready, whether the kill switch
 * is engaged, and whether alerts of high severity came in over the last day
 * (the guide's "review logs regularly", done for the operator). Each finding
 * is fleet-wide and its id starts with {@code live-}. When no service answers,
 * one info finding says only the files were checked.
 */
public final class LiveChecks {

    /** A GET of a URL; an {@link IOException} when nothing answers. */
    public interface Http {
        Answer get(String url) throws IOException, InterruptedException;
    }

    public record Answer(int status, String body) {
    }

    /** The services in start order, with the variable that points elsewhere and the port of `./herdctl up`. */
    static final Map<String, String[]> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("config-service", new String[] {"HERDCTL_CONFIG_URL", "3242"});
        SERVICES.put("scheduler-service", new String[] {"HERDCTL_SCHEDULER_URL", "3241"});
        SERVICES.put("runner-service", new String[] {"HERDCTL_RUNNER_URL", "3243"});
        SERVICES.put("audit-service", new String[] {"HERDCTL_AUDIT_URL", "3244"});
        SERVICES.put("dashboard-service", new String[] {"HERDCTL_DASHBOARD_URL", "3232"});
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration ALERT_WINDOW = Duration.ofHours(24);

    private final Map<String, String> urls = new LinkedHashMap<>();
    private final Http http;
    private final Clock clock;

    LiveChecks(Map<String, String> env, Http http, Clock clock) {
        SERVICES.forEach((name, where) -> {
            String url = env.get(where[0]);
            urls.put(name, url == null || url.isBlank() ? "http://127.0.0.1:" + where[1] : url.replaceAll("/+$", ""));
        });
        this.http = http;
        this.clock = clock;
    }

    /** Against the services this machine's environment names, over the JDK's HTTP client (2 s per request). */
    public static LiveChecks fromEnvironment(Map<String, String> env) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return new LiveChecks(env, url -> {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        }, Clock.systemUTC());
    }

    public List<Finding> examine() throws InterruptedException {
        Map<String, Answer> ready = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : urls.entrySet()) {
            ready.put(s.getKey(), get(s.getValue() + "/q/health/ready"));
        }
        List<Finding> out = new ArrayList<>();
        if (ready.values().stream().allMatch(a -> a == null)) {
            out.add(finding("live-system", Severity.INFO, "no herdctl service answers (" + String.join(", ",
                    urls.values()) + "): only the fleet files were checked",
                    "start the system (./herdctl up), or point HERDCTL_<SERVICE>_URL at it, to check it live too"));
            return out;
        }
        List<String> down = new ArrayList<>();
        ready.forEach((name, a) -> {
            if (a == null || a.status() != 200) {
                down.add(name + " at " + urls.get(name) + (a == null ? " does not answer" : " is not ready (HTTP "
                        + a.status() + ")"));
            }
        });
        out.add(down.isEmpty() ? finding("live-services", Severity.OK, "every service is ready", null)
                : finding("live-services", Severity.MEDIUM, String.join("; ", down)
                        + ": jobs wait, or alerts and records are late, until it is back",
                        "read its log (.herdctl/logs/<service>.log with ./herdctl up) and its /q/health/ready"));
        out.add(killSwitch(get(urls.get("scheduler-service") + "/api/fleet")));
        out.add(recentAlerts());
        return out;
    }

    private Finding killSwitch(Answer a) {
        JsonNode f = json(a);
        if (f == null) {
            return finding("live-kill-switch", Severity.INFO, "the scheduler did not say whether the fleet is stopped",
                    null);
        }
        if (f.path("stopped").asBoolean()) {
            String reason = f.path("reason").isTextual() ? ": " + f.path("reason").asText() : "";
            return finding("live-kill-switch", Severity.HIGH, "the fleet is stopped (by " + f.path("changedBy").asText()
                    + " at " + f.path("changedAt").asText() + reason + "): no schedule fires and no job runs",
                    "once the incident is handled: ./herdctl resume");
        }
        return finding("live-kill-switch", Severity.OK, "the fleet runs (kill switch not engaged)", null);
    }

    private Finding recentAlerts() throws InterruptedException {
        String since = clock.instant().minus(ALERT_WINDOW).toString();
        JsonNode page = json(get(urls.get("audit-service") + "/api/alerts?severity=high&limit=1&since="
                + URLEncoder.encode(since, StandardCharsets.UTF_8)));
        if (page == null) {
            return finding("live-alerts", Severity.INFO, "audit-service did not list its alerts", null);
        }
        int total = page.path("total").asInt();
        if (total == 0) {
            return finding("live-alerts", Severity.OK, "no alert of high or critical severity in the last 24 h", null);
        }
        JsonNode latest = page.path("alerts").path(0);
        return finding("live-alerts", Severity.HIGH, total + " alert(s) of high or critical severity in the last 24 h;"
                + " the latest: " + latest.path("title").asText("?") + " (job " + latest.path("jobId").asText("?")
                + ", " + latest.path("time").asText("?") + ")",
                "review them: ./herdctl alerts --severity high; for a job: ./herdctl incident <jobId>");
    }

    private Answer get(String url) throws InterruptedException {
        try {
            return http.get(url);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode json(Answer a) {
        if (a == null || a.status() != 200) {
            return null;
        }
        try {
            return JSON.readTree(a.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static Finding finding(String id, Severity severity, String message, String fix) {
        return new Finding(id, severity, null, null, null, null, null, message, fix);
    }
}
