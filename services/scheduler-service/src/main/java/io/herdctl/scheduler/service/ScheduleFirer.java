package io.herdctl.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.CronExpression;
import io.herdctl.events.EventIds;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.ScheduleState;
import io.herdctl.events.TriggerType;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.domain.CronPlan;
import io.herdctl.scheduler.domain.IntervalPlan;
import io.herdctl.scheduler.domain.JobLedger;
import io.herdctl.scheduler.domain.SchedulePlan;
import io.herdctl.scheduler.messaging.JobControlPublisher;
import io.herdctl.scheduler.messaging.JobRequestPublisher;
import io.herdctl.scheduler.messaging.Leadership;
import io.herdctl.scheduler.messaging.ScheduleStore;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires interval and cron schedules. Each tick only compares clocks and sends
 * requests; it never waits for a job, so a long job cannot delay another agent.
 *
 * <p>Every fired (or skipped) slot is recorded in {@link ScheduleStore}, and a
 * plan starts from the recorded last slot, so a restart neither fires a slot
 * twice (a re-fired slot has the same derived job id, which runners ignore)
 * nor loses one beyond the schedule's {@code catch_up}. Cron schedules read the
 * wall clock of their {@code timezone}, else {@code herdctl.scheduler.timezone}.
 * While the agent is at {@code instances.max_concurrent}, a due slot follows
 * the schedule's {@code overlap}: skip it, queue until a job ends, or replace
 * the schedule's running job.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);

    private final AgentDirectory agents;
    private final JobLedger ledger;
    private final JobRequestPublisher publisher;
    private final JobControlPublisher control;
    private final ScheduleStore store;
    private final Leadership leadership;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, SchedulePlan> plans = new HashMap<>();
    private final Map<String, String> waiting = new HashMap<>();

    public ScheduleFirer(AgentDirectory agents, JobLedger ledger, JobRequestPublisher publisher,
            JobControlPublisher control, ScheduleStore store, Leadership leadership, Clock clock,
            @ConfigProperty(name = "herdctl.scheduler.timezone") Optional<String> timezone) {
        this.agents = agents;
        this.ledger = ledger;
        this.publisher = publisher;
        this.control = control;
        this.store = store;
        this.leadership = leadership;
        this.clock = clock;
        this.zone = timezone.filter(z -> !z.isBlank()).map(ZoneId::of).orElseGet(ZoneId::systemDefault);
    }

    /** One schedule as the API shows it. */
    public record View(String agent, String schedule, String type, String expression, String timezone, boolean enabled,
            boolean enabledAtRuntime, String overlap, String catchUp, Instant nextFire, String nextFireLocal,
            Instant lastFire, String lastJobId, String waiting, String lastSkip) {
    }

    @Scheduled(every = "${herdctl.scheduler.tick:1s}", identity = "schedules",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void tick() {
        if (!store.isLoaded() || !leadership.isLeader()) {
            // A follower keeps no plans: when it takes over, it starts from the recorded slots.
            plans.clear();
            waiting.clear();
            return;
        }
        if (store.fleetStopped()) {
            // The kill switch: nothing fires, nothing waits; on resume the plans start again from the recorded slots.
            plans.clear();
            waiting.clear();
            return;
        }
        Instant now = clock.instant();
        Set<String> live = new HashSet<>();
        for (AgentSpec agent : agents.all()) {
            agent.schedules().forEach((name, schedule) -> {
                String key = ScheduleState.key(agent.qualifiedName(), name);
                if (!enabled(agent, name, schedule)) {
                    return;
                }
                SchedulePlan plan = plan(agent.qualifiedName(), name, schedule, now);
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
        waiting.keySet().retainAll(live);
    }

    private boolean enabled(AgentSpec agent, String name, AgentSpec.ScheduleSpec schedule) {
        Boolean atRuntime = store.get(agent.qualifiedName(), name).map(ScheduleState::enabled).orElse(null);
        return atRuntime != null ? atRuntime : schedule.enabled();
    }

    /** The schedule's plan, rebuilt when its definition changed; null for types that do not fire by the clock. */
    private SchedulePlan plan(String agent, String name, AgentSpec.ScheduleSpec schedule, Instant now) {
        String key = ScheduleState.key(agent, name);
        SchedulePlan plan = plans.get(key);
        Instant last = store.get(agent, name).map(ScheduleState::lastSlot).orElse(null);
        // Slots missed while the fleet was stopped are not caught up on resume: the kill switch means nothing ran.
        Instant resumed = store.fleetControl().filter(f -> !f.stopped() && f.lastStop() != null)
                .map(io.herdctl.events.FleetControl::time).orElse(null);
        boolean catchUp = !"none".equals(schedule.catchUp()) && (resumed == null || last == null
                || !last.isBefore(resumed));
        if ("interval".equals(schedule.type()) && schedule.intervalMillis() != null) {
            Duration interval = Duration.ofMillis(schedule.intervalMillis());
            if (plan == null || !plan.sameAs(interval)) {
                Instant first;
                if (plan instanceof IntervalPlan old) {
                    first = old.nextSlot();
                } else if (last == null) {
                    first = now;
                } else {
                    // The latest slot due since the last one fired: missed slots collapse into it.
                    long since = Math.max(1, Duration.between(last, now).toMillis() / interval.toMillis());
                    first = last.plus(interval.multipliedBy(since));
                    if (!catchUp && !first.isAfter(now)) {
                        first = first.plus(interval);
                    }
                }
                plan = new IntervalPlan(interval, first);
                plans.put(key, plan);
            }
            return plan;
        }
        if ("cron".equals(schedule.type()) && schedule.cron() != null) {
            CronPlan.Definition definition = new CronPlan.Definition(schedule.cron(), zoneOf(schedule));
            if (plan == null || !plan.sameAs(definition)) {
                Instant from = last == null || !catchUp || plan != null ? now : last;
                plan = new CronPlan(CronExpression.parse(schedule.cron()), definition.zone(), from);
                plans.put(key, plan);
                LOG.infof("schedule %s (cron \"%s\" in %s) fires next at %s", key, schedule.cron(), definition.zone(),
                        plan.nextSlot());
            }
            return plan;
        }
        return null;
    }

    private ZoneId zoneOf(AgentSpec.ScheduleSpec schedule) {
        return schedule.timezone() == null ? zone : ZoneId.of(schedule.timezone());
    }

    private void fire(AgentSpec agent, String name, AgentSpec.ScheduleSpec schedule, SchedulePlan plan, Instant now) {
        String key = ScheduleState.key(agent.qualifiedName(), name);
        Instant due = plan.dueSlot(now);
        String jobId = JobIds.derived(agent.qualifiedName(), name, due, zone);
        int active = ledger.tryReserve(agent.qualifiedName(), jobId, name, agent.maxConcurrent());
        if (active >= 0) {
            String busy = "agent runs " + active + " of " + agent.maxConcurrent() + " allowed jobs";
            switch (schedule.overlap()) {
                case AgentSpec.ScheduleSpec.QUEUE -> {
                    waiting.put(key, "slot " + due + " waits: " + busy);
                    return;
                }
                case AgentSpec.ScheduleSpec.REPLACE -> {
                    List<String> running = ledger.activeOf(agent.qualifiedName(), name);
                    if (running.isEmpty()) {
                        waiting.put(key, "slot " + due + " waits: " + busy + ", none of them from this schedule");
                        return;
                    }
                    running.forEach(id -> control.cancel(new JobCancelRequested(EventIds.derived(id, "replaced", jobId),
                            now, JobCancelRequested.SCHEMA_VERSION, id, "scheduler",
                            "replaced by " + jobId + " (schedule " + name + ", overlap: replace)")));
                    ledger.requested(agent.qualifiedName(), jobId, name);
                    LOG.infof("schedule %s replaces %s with %s", key, running, jobId);
                }
                default -> {
                    Instant skipped = plan.fired(now);
                    waiting.remove(key);
                    String why = "slot " + skipped + " skipped: " + busy + " (overlap: skip)";
                    LOG.infof("schedule %s: %s", key, why);
                    record(agent.qualifiedName(), name, skipped, null, plan.nextSlot(), why, now);
                    return;
                }
            }
        }
        waiting.remove(key);
        Instant slot = plan.fired(now);
        JobRequested request = JobFactory.request(jobId, agent, name, TriggerType.SCHEDULE,
                JobFactory.prompt(null, schedule, agent), slot, JobFactory.resume(schedule), now);
        publisher.publish(request).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.errorf("job %s for %s/%s was not accepted by the broker: %s", jobId, agent.qualifiedName(), name,
                        failure.getMessage());
            } else {
                LOG.infof("schedule %s/%s fired job %s (next slot %s)", agent.qualifiedName(), name, jobId, plan.nextSlot());
                record(agent.qualifiedName(), name, slot, jobId, plan.nextSlot(), null, now);
            }
        });
    }

    private void record(String agent, String schedule, Instant slot, String jobId, Instant next, String skip, Instant now) {
        Boolean enabled = store.get(agent, schedule).map(ScheduleState::enabled).orElse(null);
        String lastJob = jobId != null ? jobId : store.get(agent, schedule).map(ScheduleState::lastJobId).orElse(null);
        store.put(new ScheduleState(EventIds.random(), now, ScheduleState.SCHEMA_VERSION, agent, schedule, slot, lastJob,
                next, enabled, skip)).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warnf("the state of schedule %s/%s was not saved: %s", agent, schedule, failure.getMessage());
                    }
                });
    }

    /** Switches a schedule on or off at runtime; kept on the state topic across restarts. */
    public synchronized java.util.concurrent.CompletableFuture<Void> setEnabled(String agent, String schedule,
            boolean on) {
        Optional<ScheduleState> state = store.get(agent, schedule);
        Instant now = clock.instant();
        plans.remove(ScheduleState.key(agent, schedule));
        return store.put(new ScheduleState(EventIds.random(), now, ScheduleState.SCHEMA_VERSION, agent, schedule,
                state.map(ScheduleState::lastSlot).orElse(null), state.map(ScheduleState::lastJobId).orElse(null),
                state.map(ScheduleState::nextSlot).orElse(null), on, state.map(ScheduleState::lastSkip).orElse(null)));
    }

    /** Every schedule of the fleet, with when it fires next and what happened last. */
    public synchronized List<View> views() {
        Instant now = clock.instant();
        boolean stopped = store.fleetStopped();
        String held = store.fleetControl().filter(f -> f.stopped()).map(f -> f.whyHeldBack(null)).orElse(null);
        List<View> out = new ArrayList<>();
        for (AgentSpec agent : agents.all()) {
            agent.schedules().forEach((name, schedule) -> {
                String key = ScheduleState.key(agent.qualifiedName(), name);
                Optional<ScheduleState> state = store.get(agent.qualifiedName(), name);
                boolean on = enabled(agent, name, schedule) && !stopped;
                SchedulePlan plan = plans.get(key);
                Instant next = !on || plan == null ? null : plan.nextSlot();
                if (on && plan == null && "cron".equals(schedule.type()) && schedule.cron() != null) {
                    next = CronExpression.parse(schedule.cron()).next(now, zoneOf(schedule));
                }
                ZoneId z = zoneOf(schedule);
                out.add(new View(agent.qualifiedName(), name, schedule.type(),
                        "cron".equals(schedule.type()) ? schedule.cron() : schedule.interval(), z.getId(),
                        schedule.enabled(), on, schedule.overlap(), schedule.catchUp(), next,
                        next == null ? null : next.atZone(z).toOffsetDateTime().toString(),
                        state.map(ScheduleState::lastSlot).orElse(null), state.map(ScheduleState::lastJobId).orElse(null),
                        stopped ? held : waiting.get(key), state.map(ScheduleState::lastSkip).orElse(null)));
            });
        }
        out.sort(java.util.Comparator.comparing(View::agent).thenComparing(View::schedule));
        return out;
    }
}
