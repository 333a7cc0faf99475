package io.herdctl.scheduler.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.FleetControl;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.domain.JobLedger;
import io.herdctl.scheduler.messaging.JobRequestPublisher;
import io.herdctl.scheduler.messaging.ScheduleStore;

/**
 * Manual triggers: same capacity rule as schedules, none while the fleet is
 * stopped, and the request is on the broker before we answer. {@code resume} is already the request's value
 * ({@link JobRequested#RESUME_LAST}, a checked session id, or null).
 */
@ApplicationScoped
public class TriggerService {

    private final AgentDirectory agents;
    private final JobLedger ledger;
    private final JobRequestPublisher publisher;
    private final ScheduleStore store;
    private final Clock clock;
    private final ZoneId zone = ZoneId.systemDefault();

    public TriggerService(AgentDirectory agents, JobLedger ledger, JobRequestPublisher publisher, ScheduleStore store,
            Clock clock) {
        this.agents = agents;
        this.store = store;
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
    }

    public sealed interface Outcome permits Accepted, UnknownAgent, UnknownSchedule, AtCapacity, FleetStopped {
    }

    public record UnknownSchedule(String agent, String schedule) implements Outcome {
    }

    public record Accepted(JobRequested request) implements Outcome {
    }

    public record UnknownAgent(String name) implements Outcome {
    }

    public record AtCapacity(String name, int running, int limit) implements Outcome {
    }

    /** The kill switch is engaged: nothing is started until someone resumes the fleet. */
    public record FleetStopped(FleetControl control) implements Outcome {
    }

    public Outcome trigger(String agentName, String prompt, String resume) throws Exception {
        return trigger(agentName, null, prompt, resume, TriggerType.MANUAL);
    }

    /**
     * @param scheduleName a schedule of the agent whose prompt (and resume setting, unless {@code resume}
     *                     is given) the job takes; null for none
     */
    public Outcome trigger(String agentName, String scheduleName, String prompt, String resume, TriggerType type)
            throws Exception {
        AgentSpec agent = agents.find(agentName).orElse(null);
        if (agent == null) {
            return new UnknownAgent(agentName);
        }
        FleetControl stop = store.fleetControl().filter(FleetControl::stopped).orElse(null);
        if (stop != null) {
            return new FleetStopped(stop);
        }
        AgentSpec.ScheduleSpec schedule = scheduleName == null ? null : agent.schedules().get(scheduleName);
        if (scheduleName != null && schedule == null) {
            return new UnknownSchedule(agent.qualifiedName(), scheduleName);
        }
        Instant now = clock.instant();
        String jobId = JobIds.random(now, zone);
        int active = ledger.tryReserve(agent.qualifiedName(), jobId, agent.maxConcurrent());
        if (active >= 0) {
            return new AtCapacity(agent.qualifiedName(), active, agent.maxConcurrent());
        }
        String resumed = resume != null || schedule == null ? resume : JobFactory.resume(schedule);
        JobRequested request = JobFactory.request(jobId, agent, scheduleName, type,
                JobFactory.prompt(prompt, schedule, agent), null, resumed, now);
        publisher.publish(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new Accepted(request);
    }
}
