package io.herdctl.events;

import java.util.List;

/**
 * The topics that join the services. ARCHITECTURE.md describes each one; the
 * broker launcher and the test broker create them from {@link #ALL}, so a topic
 * exists with its partitions and cleanup policy before any service touches it.
 */
public final class Topics {

    /** Resolved agent specs, keyed by qualified agent name; compacted, tombstone on removal. */
    public static final String AGENTS = "herdctl.agents.v1";
    /** One record per evaluated fleet revision (accepted or rejected), keyed by fleet name. */
    public static final String FLEET_REVISIONS = "herdctl.fleet-revisions.v1";
    /** Jobs to run, keyed by qualified agent name. */
    public static final String JOB_REQUESTS = "herdctl.job-requests.v1";
    /** Job lifecycle transitions, keyed by job id. */
    public static final String JOB_STATUS = "herdctl.job-status.v1";
    /** Every stdout/stderr line of a job, keyed by job id so a job's lines stay in order. */
    public static final String JOB_OUTPUT = "herdctl.job-output.v1";
    /**
     * Each line as audit-service stored it in the job's log (masked, gaps marked),
     * keyed by job id, published after the write: the live feed the dashboard
     * streams to browsers, whose history comes from audit-service's output API.
     */
    public static final String JOB_LOG = "herdctl.job-log.v1";
    /** Requests to cancel a job, keyed by job id; every runner reads all of them. */
    public static final String JOB_CONTROL = "herdctl.job-control.v1";
    /** Runner heartbeats (alive, draining, stopped; jobs held), keyed by runner id; compacted. */
    public static final String RUNNERS = "herdctl.runners.v1";
    /** Per-schedule state (last slot fired, next slot, runtime switch), keyed by agent/schedule; compacted. */
    public static final String SCHEDULES = "herdctl.schedules.v1";
    /**
     * Never written: the scheduler instances join one consumer group on it, and
     * the one holding its single partition is the leader that fires schedules.
     */
    public static final String SCHEDULER_LEADER = "herdctl.scheduler-leader.v1";
    /**
     * The fleet's kill switch ({@link FleetControl}) under one key; compacted. Every
     * runner and scheduler reads it whole at start.
     */
    public static final String FLEET_CONTROL = "herdctl.fleet-control.v1";
    /** Audit detections for a SIEM, keyed by job id. */
    public static final String ALERTS = "herdctl.alerts.v1";
    /** Records a consumer could not process, with the reason in the record headers. */
    public static final String DEAD_LETTERS = "herdctl.dead-letters.v1";

    /**
     * Largest output record: a line of up to 1 MiB (longer ones are split) with
     * its parsed entry and JSON escaping. Producers and the topic allow this much.
     */
    public static final int MAX_OUTPUT_RECORD_BYTES = 8 * 1024 * 1024;

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(AGENTS, 3, true),
            new TopicSpec(FLEET_REVISIONS, 1, false),
            new TopicSpec(JOB_REQUESTS, 6, false),
            new TopicSpec(JOB_STATUS, 6, false),
            new TopicSpec(JOB_OUTPUT, 6, false, MAX_OUTPUT_RECORD_BYTES),
            new TopicSpec(JOB_LOG, 6, false, MAX_OUTPUT_RECORD_BYTES),
            new TopicSpec(JOB_CONTROL, 3, false),
            new TopicSpec(RUNNERS, 1, true),
            new TopicSpec(SCHEDULES, 1, true),
            new TopicSpec(SCHEDULER_LEADER, 1, false),
            new TopicSpec(FLEET_CONTROL, 1, true),
            new TopicSpec(ALERTS, 3, false),
            new TopicSpec(DEAD_LETTERS, 1, false));

    private Topics() {
    }

    /**
     * The shape of one of the project's topics.
     *
     * @throws IllegalArgumentException when {@code name} is not one of {@link #ALL}
     */
    public static TopicSpec spec(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a project topic: " + name));
    }

    /**
     * A topic's shape: how many partitions, whether it is a compacted table or a
     * log, and the largest record it takes (0: the broker's default).
     */
    public record TopicSpec(String name, int partitions, boolean compacted, int maxMessageBytes) {

        public TopicSpec(String name, int partitions, boolean compacted) {
            this(name, partitions, compacted, 0);
        }
    }
}
