package io.herdctl.audit.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.JobStatus;
import io.herdctl.events.Severity;

/**
 * The record over a window of whole UTC days, oldest first, in the shape charts
 * draw: jobs per day by status, the agents' jobs, durations and cost, alerts per
 * day by rule, and the rules by count. A job counts on the day it started, an
 * alert on the day it was raised. Every day of the window is present with every
 * key, zeros included, so a chart never has to fill gaps. Computed from memory
 * (the index and the alert store), walking only what falls in the window.
 */
public record DailyStats(List<LocalDate> days, List<DayCounts> jobsPerDay, List<AgentStats> agents,
        List<DayCounts> alertsPerDay, List<RuleStats> rules) {

    private static final long SECONDS_PER_DAY = 86_400;

    /** One day's counts: by status wire name, or by rule id. */
    public record DayCounts(LocalDate day, Map<String, Integer> counts) {
    }

    /**
     * One agent's jobs started in the window. The durations are nearest-rank
     * percentiles of its finished jobs' durations (null when none has one); the
     * cost is summed to a millionth of a dollar, so it prints without float noise.
     */
    public record AgentStats(String agent, int jobs, int finished, Long durationP50Seconds, Long durationP95Seconds,
            Long durationMaxSeconds, double costUsd) {
    }

    /** One rule's alerts in the window, with the severity of the newest of them. */
    public record RuleStats(String ruleId, Severity severity, int total) {
    }

    /** The days {@code first} through {@code last}, both included. */
    public static DailyStats of(JobIndex index, AlertStore alerts, LocalDate first, LocalDate last) {
        int n = (int) ChronoUnit.DAYS.between(first, last) + 1;
        Instant since = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant until = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<LocalDate> days = first.datesUntil(last.plusDays(1)).toList();

        JobStatus[] statuses = JobStatus.values();
        int[][] jobCounts = new int[n][statuses.length];
        List<AgentStats> agents = new ArrayList<>();
        // Agent by agent, so no row needs a lookup of its agent's tally.
        for (String agent : new TreeSet<>(index.agents())) {
            AgentTally tally = new AgentTally(agent);
            index.forEachStartedBetween(agent, since, until, row -> {
                jobCounts[dayOf(row.startedAt(), since)][row.status().ordinal()]++;
                tally.add(row);
            });
            if (tally.jobs > 0) {
                agents.add(tally.stats());
            }
        }
        List<DayCounts> jobsPerDay = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (JobStatus s : statuses) {
                counts.put(s.wire(), jobCounts[d][s.ordinal()]);
            }
            jobsPerDay.add(new DayCounts(days.get(d), counts));
        }

        Map<String, int[]> perRule = new HashMap<>();
        Map<String, Severity> severities = new HashMap<>();
        for (AuditAlertRaised a : alerts.raisedBetween(since, until)) {
            perRule.computeIfAbsent(a.ruleId(), id -> new int[n])[dayOf(a.time(), since)]++;
            severities.putIfAbsent(a.ruleId(), a.severity());
        }
        List<RuleStats> rules = perRule.entrySet().stream()
                .map(e -> new RuleStats(e.getKey(), severities.get(e.getKey()), Arrays.stream(e.getValue()).sum()))
                .sorted(Comparator.comparingInt(RuleStats::total).reversed().thenComparing(RuleStats::ruleId))
                .toList();
        List<DayCounts> alertsPerDay = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (RuleStats rule : rules) {
                counts.put(rule.ruleId(), perRule.get(rule.ruleId())[d]);
            }
            alertsPerDay.add(new DayCounts(days.get(d), counts));
        }

        return new DailyStats(days, jobsPerDay, agents, alertsPerDay, rules);
    }

    private static int dayOf(Instant t, Instant since) {
        return (int) ((t.getEpochSecond() - since.getEpochSecond()) / SECONDS_PER_DAY);
    }

    /** One agent's jobs as they are walked. */
    private static final class AgentTally {
        final String agent;
        int jobs;
        int finished;
        long[] durations = new long[16];
        int timed;
        double cost;

        AgentTally(String agent) {
            this.agent = agent;
        }

        void add(JobIndex.Row row) {
            jobs++;
            if (row.status().isTerminal()) {
                finished++;
                if (row.durationSeconds() != null) {
                    if (timed == durations.length) {
                        durations = Arrays.copyOf(durations, timed * 2);
                    }
                    durations[timed++] = row.durationSeconds();
                }
            }
            if (row.costUsd() != null) {
                cost += row.costUsd();
            }
        }

        AgentStats stats() {
            Arrays.sort(durations, 0, timed);
            return new AgentStats(agent, jobs, finished, percentile(50), percentile(95),
                    timed == 0 ? null : durations[timed - 1], Math.round(cost * 1_000_000) / 1_000_000.0);
        }

        /** The smallest duration that at least {@code p} percent of them do not exceed. */
        private Long percentile(int p) {
            return timed == 0 ? null : durations[(p * timed + 99) / 100 - 1];
        }
    }
}
