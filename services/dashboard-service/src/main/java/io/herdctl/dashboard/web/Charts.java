package io.herdctl.dashboard.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.dashboard.service.AuditReader;
import io.herdctl.dashboard.web.charts.AgentDurationCostChart;
import io.herdctl.dashboard.web.charts.AlertHeatmapChart;
import io.herdctl.dashboard.web.charts.JobsPerDayChart;
import io.herdctl.events.JobStatus;
import io.herdctl.events.Severity;

/**
 * The overview's charts, drawn on the server as inline SVG from audit-service's
 * statistics (the last {@link #DAYS} days): jobs per day by status, duration and
 * cost per agent, alerts by rule per day. Drawn at most every {@link #FRESH}
 * and shared by the page views in between.
 */
@ApplicationScoped
public class Charts {

    static final int DAYS = 14;
    static final Duration FRESH = Duration.ofSeconds(15);

    private final AuditReader audit;
    private volatile Set last;
    private volatile Instant drawn = Instant.EPOCH;

    public Charts(AuditReader audit) {
        this.audit = audit;
    }

    /** The three SVG documents, or why there are none. */
    public record Set(String jobsPerDay, String agents, String alertsByRule, String error) {
    }

    public Set overview() {
        Set s = last;
        if (s != null && drawn.plus(FRESH).isAfter(Instant.now())) {
            return s;
        }
        s = draw();
        last = s;
        drawn = Instant.now();
        return s;
    }

    private Set draw() {
        AuditReader.Answer answer;
        try {
            answer = audit.stats(DAYS);
        } catch (AuditReader.Unavailable e) {
            return new Set(null, null, null, "No charts: " + e.getMessage());
        }
        if (!answer.ok()) {
            return new Set(null, null, null, "No charts: " + answer.message());
        }
        return of(answer.body());
    }

    /** Draws audit-service's {@code /api/stats} answer. */
    static Set of(JsonNode stats) {
        List<JobsPerDayChart.Day> days = new ArrayList<>();
        for (JsonNode d : stats.path("jobsPerDay")) {
            Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
            d.path("counts").fields().forEachRemaining(e -> {
                try {
                    counts.put(JobStatus.fromWire(e.getKey()), e.getValue().asLong());
                } catch (IllegalArgumentException unknown) {
                    // a status newer than this dashboard: not drawn
                }
            });
            days.add(new JobsPerDayChart.Day(shortDay(d.path("day").asText()), counts));
        }
        List<AgentDurationCostChart.Row> agents = new ArrayList<>();
        for (JsonNode a : stats.path("agents")) {
            agents.add(new AgentDurationCostChart.Row(a.path("agent").asText(), number(a, "durationP50Seconds"),
                    number(a, "durationP95Seconds"), number(a, "costUsd")));
        }
        List<String> dayLabels = new ArrayList<>();
        stats.path("days").forEach(d -> dayLabels.add(shortDay(d.asText())));
        List<AlertHeatmapChart.Rule> rules = new ArrayList<>();
        for (JsonNode r : stats.path("rules")) {
            String rule = r.path("ruleId").asText();
            List<Long> perDay = new ArrayList<>();
            for (JsonNode d : stats.path("alertsPerDay")) {
                perDay.add(d.path("counts").path(rule).asLong(0));
            }
            while (perDay.size() < dayLabels.size()) {
                perDay.add(0L);
            }
            rules.add(new AlertHeatmapChart.Rule(rule, severity(r.path("severity").asText()),
                    perDay.subList(0, dayLabels.size())));
        }
        return new Set(JobsPerDayChart.render("chart-jobs-svg", days),
                AgentDurationCostChart.render("chart-agents-svg", agents),
                AlertHeatmapChart.render("chart-alerts-svg", dayLabels, rules), null);
    }

    private static Double number(JsonNode node, String field) {
        return node.hasNonNull(field) && node.path(field).isNumber() ? node.path(field).asDouble() : null;
    }

    private static Severity severity(String wire) {
        try {
            return Severity.fromWire(wire);
        } catch (IllegalArgumentException e) {
            return Severity.INFO;
        }
    }

    /** "2026-11-16" → "11-16". */
    private static String shortDay(String day) {
        return day.length() == 10 ? day.substring(5) : day;
    }
}
