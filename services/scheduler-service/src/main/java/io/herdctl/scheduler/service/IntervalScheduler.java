package io.herdctl.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.domain.IntervalPlan;
import io.herdctl.scheduler.domain.JobLedger;
import io.herdctl.scheduler.messaging.JobRequestPublisher;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires interval schedules. Each tick only compares clocks and sends requests;
 * it never waits for a job, so a long job cannot delay another agent. A slot
 * whose agent is at {@code instances.max_concurrent} waits for capacity.
 */
@ApplicationScoped
public class IntervalScheduler {

    private static final Logger LOG = Logger.getLogger(IntervalScheduler.class);

    private final AgentDirectory agents;
    private final JobLedger ledger;
    private final JobRequestPublisher publisher;
    private final Clock clock;
    private final ZoneId zone = ZoneId.systemDefault();
    private final Map<String, IntervalPlan> plans = new HashMap<>();

    public IntervalScheduler(AgentDirectory agents, JobLedger ledger, JobRequestPublisher publisher, Clock clock) {
        this.agents = agents;
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Scheduled(every = "${herdctl.scheduler.tick:1s}", identity = "interval-schedules",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void tick() {
        Instant now = clock.instant();
        Set<String> live = new HashSet<>();
        for (AgentSpec agent : agents.all()) {
            agent.schedules().forEach((name, schedule) -> {
                if (!"interval".equals(schedule.type()) || !schedule.enabled() || schedule.intervalMillis() == null) {
                    return;
                }
                String key = agent.qualifiedName() + "/" + name;
                live.add(key);
                Duration interval = Duration.ofMillis(schedule.intervalMillis());
                IntervalPlan plan = plans.get(key);
                if (plan == null || !plan.interval().equals(interval)) {
                    plan = new IntervalPlan(interval, plan == null ? now : plan.nextSlot());
                    plans.put(key, plan);
                }
                if (plan.isDue(now)) {
                    fire(agent, name, schedule, plan, now);
                }
            });
        }
        plans.keySet().retainAll(live);
    }

    private void fire(AgentSpec agent, String name, AgentSpec.ScheduleSpec schedule, IntervalPlan plan, Instant now) {
        String jobId = JobIds.derived(agent.qualifiedName(), name, plan.nextSlot(), zone);
        int active = ledger.tryReserve(agent.qualifiedName(), jobId, agent.maxConcurrent());
        if (active >= 0) {
            LOG.debugf("schedule %s/%s is due but the agent runs %d of %d jobs; waiting", agent.qualifiedName(), name,
                    active, agent.maxConcurrent());
            return;
        }
        Instant slot = plan.fired(now);
        JobRequested request = JobFactory.request(jobId, agent, name, TriggerType.SCHEDULE,
                JobFactory.prompt(null, schedule, agent), slot, JobFactory.resume(schedule), now);
        publisher.publish(request).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.errorf("job %s for %s/%s was not accepted by the broker: %s", jobId, agent.qualifiedName(), name,
                        failure.getMessage());
            } else {
                LOG.infof("schedule %s/%s fired job %s (next slot %s)", agent.qualifiedName(), name, jobId, plan.nextSlot());
            }
        });
    }
}
