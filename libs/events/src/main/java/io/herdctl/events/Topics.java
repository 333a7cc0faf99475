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
    /** Audit detections for a SIEM, keyed by job id. */
    public static final String ALERTS = "herdctl.alerts.v1";
    /** Records a consumer could not process, with the reason in the record headers. */
    public static final String DEAD_LETTERS = "herdctl.dead-letters.v1";

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(AGENTS, 3, true),
            new TopicSpec(FLEET_REVISIONS, 1, false),
            new TopicSpec(JOB_REQUESTS, 6, false),
            new TopicSpec(JOB_STATUS, 6, false),
            new TopicSpec(JOB_OUTPUT, 6, false),
            new TopicSpec(ALERTS, 3, false),
            new TopicSpec(DEAD_LETTERS, 1, false));

    private Topics() {
    }

    /** A topic's shape: how many partitions, and whether it is a compacted table or a log. */
    public record TopicSpec(String name, int partitions, boolean compacted) {
    }
}
