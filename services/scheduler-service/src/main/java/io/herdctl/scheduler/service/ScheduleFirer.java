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

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.CronExpression;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.domain.CronPlan;
import io.herdctl.scheduler.domain.SchedulePlan;
import io.herdctl.scheduler.domain.IntervalPlan;
import io.herdctl.scheduler.domain.JobLedger;
import io.herdctl.scheduler.messaging.JobRequestPublisher;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires interval and cron schedules. Each tick only compares clocks and sends
 * requests; it never waits for a job, so a long job cannot delay another agent.
 * A slot whose agent is at {@code instances.max_concurrent} waits for capacity.
 * Cron schedules read the wall clock of their {@code timezone}, else of
 * {@code herdctl.scheduler.timezone} (the machine's zone by default).
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);

    private final AgentDirectory agents;
    private final JobLedger ledger;
    private final JobRequestPublisher publisher;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, SchedulePlan> plans = new HashMap<>();

    public ScheduleFirer(AgentDirectory agents, JobLedger ledger, JobRequestPublisher publisher, Clock clock,
            @ConfigProperty(name = "herdctl.scheduler.timezone") Optional<String> timezone) {
        this.agents = agents;
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
        this.zone = timezone.filter(z -> !z.isBlank()).map(ZoneId::of).orElseGet(ZoneId::systemDefault);
    }

    @Scheduled(every = "${herdctl.scheduler.tick:1s}", identity = "schedules",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void tick() {
        Instant now = clock.instant();
        Set<String> live = new HashSet<>();
        for (AgentSpec agent : agents.all()) {
            agent.schedules().forEach((name, schedule) -> {
                if (!schedule.enabled()) {
                    return;
                }
                String key = agent.qualifiedName() + "/" + name;
                SchedulePlan plan = plan(key, schedule, now);
                if (plan == null) {
                    return;
                }
                live.add(key);
                if (plan.isDue(now)) {
                    fire(agent, name, schedule, plan, now);
                }
            });
        }
        plans.keySet().retainAll(live);
    }

    /** The schedule's plan, rebuilt when its definition changed; null for types that do not fire by the clock. */
    private SchedulePlan plan(String key, AgentSpec.ScheduleSpec schedule, Instant now) {
        SchedulePlan plan = plans.get(key);
        if ("interval".equals(schedule.type()) && schedule.intervalMillis() != null) {
            Duration interval = Duration.ofMillis(schedule.intervalMillis());
            if (plan == null || !plan.sameAs(interval)) {
                plan = new IntervalPlan(interval, plan instanceof IntervalPlan old ? old.nextSlot() : now);
                plans.put(key, plan);
            }
            return plan;
        }
        if ("cron".equals(schedule.type()) && schedule.cron() != null) {
            CronPlan.Definition definition = new CronPlan.Definition(schedule.cron(),
                    schedule.timezone() == null ? zone : ZoneId.of(schedule.timezone()));
            if (plan == null || !plan.sameAs(definition)) {
                plan = new CronPlan(CronExpression.parse(schedule.cron()), definition.zone(), now);
                plans.put(key, plan);
                LOG.infof("schedule %s (cron \"%s\" in %s) fires next at %s", key, schedule.cron(), definition.zone(),
                        plan.nextSlot());
            }
            return plan;
        }
        return null;
    }

    private void fire(AgentSpec agent, String name, AgentSpec.ScheduleSpec schedule, SchedulePlan plan, Instant now) {
        Instant due = plan.dueSlot(now);
        String jobId = JobIds.derived(agent.qualifiedName(), name, due, zone);
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
