package io.herdctl.dashboard.rest;

import java.time.Instant;
import java.util.List;

import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.dashboard.domain.JobView;
import io.herdctl.dashboard.service.FleetSchedules;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobUsage;

/** The JSON shapes of herdctl's web API, as far as this version has them. */
public final class ApiViews {

    private ApiViews() {
    }

    public record ScheduleInfo(String name, String type, String interval, String cron, boolean enabled, String prompt) {
    }

    public record DockerInfo(boolean enabled, String image, String network, String memory, Long pidsLimit,
            String workspaceMode, boolean ephemeral) {
    }

    public record AgentInfo(String name, String qualifiedName, List<String> fleetPath, String description, String status,
            String currentJobId, String lastJobId, int maxConcurrent, int runningCount, int scheduleCount,
            List<ScheduleInfo> schedules, String model, String working_directory, String permissionMode,
            DockerInfo docker) {

        static AgentInfo of(AgentSpec a, List<JobView> jobsNewestFirst) {
            List<JobView> running = jobsNewestFirst.stream().filter(j -> !j.status().isTerminal()).toList();
            List<ScheduleInfo> schedules = a.schedules().entrySet().stream()
                    .map(e -> new ScheduleInfo(e.getKey(), e.getValue().type(), e.getValue().interval(), e.getValue().cron(),
                            e.getValue().enabled(), e.getValue().prompt()))
                    .toList();
            AgentSpec.DockerSpec d = a.docker();
            return new AgentInfo(a.name(), a.qualifiedName(), a.fleetPath(), a.description(),
                    running.stream().anyMatch(j -> j.status() == JobStatus.RUNNING) ? "running" : "idle",
                    running.isEmpty() ? null : running.get(0).jobId(),
                    jobsNewestFirst.isEmpty() ? null : jobsNewestFirst.get(0).jobId(), a.maxConcurrent(), running.size(),
                    schedules.size(), schedules, a.model(), a.workingDirectory(), a.permissionMode(),
                    new DockerInfo(d.enabled(), d.image(), d.network(), d.memory(), d.pidsLimit(), d.workspaceMode(),
                            d.ephemeral()));
        }
    }

    public record JobInfo(String jobId, String agentName, String prompt, String status, Instant createdAt,
            Instant startedAt, Instant completedAt, Integer exitCode, String exitReason, Long durationMs, String sessionId,
            String triggerType, String schedule, String summary, String error, JobUsage usage, String runnerId) {

        /** {@code runnerId} (this version's addition): the runner replica that ran the job. */
        static JobInfo of(JobView j) {
            return new JobInfo(j.jobId(), j.agent(), j.prompt(), j.status().wire(), j.createdAt(), j.startedAt(),
                    j.finishedAt(), j.exitCode(), j.exitReason() == null ? null : j.exitReason().wire(), j.durationMs(),
                    j.sessionId(), j.triggerType() == null ? null : j.triggerType().wire(), j.schedule(), j.summary(),
                    j.error(), j.usage(), j.runnerId());
        }
    }

    public record JobPage(List<JobInfo> jobs, int total, int limit, int offset, List<String> errors) {
    }

    public record Health(String status, Instant timestamp) {
    }

    /**
     * herdctl's {@code FleetStatus}: {@code state} is {@code running} once a
     * configuration is in force ({@code initializing} before, {@code degraded} when
     * the last change was rejected); {@code config} is this version's addition.
     */
    public record FleetStatus(String state, long uptimeSeconds, Instant initializedAt, Instant startedAt,
            Instant stoppedAt, Counts counts, SchedulerInfo scheduler, ConfigInfo config, String lastError) {

        public static FleetStatus of(FleetView view, FleetSchedules.Snapshot plans) {
            List<AgentSpec> agents = view.agents();
            List<JobView> live = view.jobs(j -> !j.status().isTerminal());
            long runningAgents = live.stream().filter(j -> j.status() == JobStatus.RUNNING).map(JobView::agent)
                    .distinct().count();
            int schedules = agents.stream().mapToInt(a -> a.schedules().size()).sum();
            FleetRevisionEvaluated last = view.lastRevision().orElse(null);
            FleetRevisionEvaluated inForce = view.acceptedRevision().orElse(null);
            String state = inForce == null ? "initializing" : last != null && !last.accepted() ? "degraded" : "running";
            String lastError = last != null && !last.accepted() && !last.errors().isEmpty()
                    ? last.errors().get(0).toString() : plans.error();
            return new FleetStatus(state, java.time.Duration.between(view.since(), Instant.now()).toSeconds(),
                    view.since(), inForce == null ? null : inForce.time(), null,
                    new Counts(agents.size(), (int) (agents.size() - runningAgents), (int) runningAgents, schedules,
                            (int) live.stream().filter(j -> j.status() == JobStatus.RUNNING).count(),
                            (int) live.stream().filter(j -> j.status() == JobStatus.PENDING).count()),
                    new SchedulerInfo(plans.error() == null ? "running" : "unavailable", plans.plans().size(),
                            (int) plans.plans().values().stream().filter(FleetSchedules.Plan::enabled).count()),
                    last == null ? null : new ConfigInfo(last.revision(), last.accepted(), last.time(),
                            inForce == null ? null : inForce.revision(), last.errors().stream().map(Object::toString).toList()),
                    lastError);
        }
    }

    public record Counts(int totalAgents, int idleAgents, int runningAgents, int totalSchedules, int runningJobs,
            int pendingJobs) {
    }

    public record SchedulerInfo(String status, int schedules, int enabledSchedules) {
    }

    public record ConfigInfo(String revision, boolean accepted, Instant evaluatedAt, String revisionInForce,
            List<String> errors) {
    }

    /** Body of {@code POST /api/jobs/{id}/cancel}; it and its reason are optional. */
    public record CancelRequest(String reason) {
    }

    /** The answer to an accepted cancel: the request is on the broker, the job may still be running. */
    public record CancelAccepted(String jobId, String status) {

        static final String CANCEL_REQUESTED = "cancel-requested";
    }
}
