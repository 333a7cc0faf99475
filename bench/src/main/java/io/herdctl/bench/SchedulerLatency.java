package io.herdctl.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.ServiceProcess;

/**
 * How late the scheduler fires when a whole fleet is due in the same minute, and
 * what it costs while nothing is due. One scheduler-service process (its own JVM,
 * with the launcher's flags: serial GC, C1 only, at most 384 MB heap; timezone
 * UTC) on an in-process broker, alone in its group and so the leader. The
 * benchmark publishes {@code agents} agent specs (default 1,000) on the agents
 * topic, each with one enabled daily cron schedule {@code "M H * * *"} (UTC,
 * at most one job at a time) for the same minute: the first whole minute at
 * least 50 s after publishing starts, so every spec is loaded well before it
 * (the run fails if fewer than 40 s remain once the broker acknowledged the last
 * spec, or if the scheduler's {@code /api/schedules} does not list every schedule
 * with that minute as its next fire 5 s before it). Nothing is read from the
 * scheduler over HTTP from then on.
 *
 * <p>A consumer in this process follows the job-requests topic from its end. For
 * each scheduled request it takes the wall clock when the poll that returned the
 * record came back, and prints, over all requests:
 * <ul>
 * <li>received − slot: the cron minute to the request being readable by a
 * consumer, i.e. the scheduler's tick (every 1 s, not aligned to the minute),
 * its work for the whole burst, the broker's acknowledgement with acks=all, and
 * one consumer fetch; the target is p99 under 1 s;
 * <li>created − slot: the cron minute to the request's {@code time}, the clock
 * the scheduler read at the start of the tick that fired it (so the tick's phase;
 * every request of one tick carries the same time, and the number of distinct
 * times is printed as the number of ticks the burst took);
 * <li>how many requests arrived, how many distinct agents, duplicates, and
 * requests whose slot is not the chosen minute; the run fails unless each agent
 * fired exactly once within 60 s of the minute.
 * </ul>
 * Both figures use this machine's one clock (the scheduler runs on it too).
 *
 * <p>Then the idle cost: after the last request arrived and a 5 s pause (the
 * scheduler records the fired slots on the schedules topic meanwhile), the
 * scheduler process's CPU time (user + system, every thread of its JVM:
 * the 1 s tick over all schedules, the Kafka clients' polls and heartbeats, GC,
 * JIT) is read from {@link ProcessHandle.Info#totalCpuDuration()} at the start
 * and end of a window (default 60 s) in which no schedule is due (they are
 * daily), and printed as CPU ms per minute and as a share of one core. The
 * consumer keeps reading during the window, so a request fired then counts as
 * a duplicate or a stray.
 *
 * <p>Run: {@code ./herdctl bench scheduler [agents] [idle-window-seconds]}
 * (defaults 1000 and 60).
 */
public final class SchedulerLatency {

    private static final Duration LOAD_LEAD = Duration.ofSeconds(50);
    private static final Duration MIN_MARGIN = Duration.ofSeconds(40);
    private static final Duration LOADED_BEFORE = Duration.ofSeconds(5);
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final long TARGET_P99_MS = 1000;
    private static final String SCHEDULE = "daily";

    private SchedulerLatency() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60);
        RunnerHarness.run("scheduler", h -> {
            long t0 = System.nanoTime();
            ServiceProcess scheduler = h.service("scheduler-service", "scheduler",
                    Map.of("herdctl.scheduler.timezone", "UTC"));
            awaitLeader(scheduler, RunnerHarness.READY);
            double startup = (System.nanoTime() - t0) / 1e9;

            Instant slot = Instant.now().plus(LOAD_LEAD).plusSeconds(59).truncatedTo(ChronoUnit.MINUTES);
            ZonedDateTime utc = slot.atZone(ZoneOffset.UTC);
            String cron = utc.getMinute() + " " + utc.getHour() + " * * *";
            Map<String, String> specs = new LinkedHashMap<>();
            for (int i = 0; i < agents; i++) {
                String name = String.format("bench-%04d", i);
                AgentSpec spec = h.agent(name, Map.of(SCHEDULE, new AgentSpec.ScheduleSpec("cron", null, null, cron,
                        null, true, false, "UTC", null, null, null)));
                specs.put(name, EventJson.write(AgentSpecResolved.of("bench", spec)));
            }

            try (KafkaConsumer<String, String> consumer = JobTail.consumer(h.bootstrapServers(), false,
                    Topics.JOB_REQUESTS)) {
                long p0 = System.nanoTime();
                h.sendAll(Topics.AGENTS, specs);
                long publishMs = Stats.millisSince(p0, System.nanoTime());
                Duration margin = Duration.between(Instant.now(), slot);
                if (margin.compareTo(MIN_MARGIN) < 0) {
                    throw new IllegalStateException("publishing took " + publishMs + " ms: only " + margin.toMillis()
                            + " ms left before " + slot + " (at least " + MIN_MARGIN.toSeconds() + " s wanted)");
                }
                long loadMs = awaitLoaded(scheduler, agents, slot, p0);

                Arrivals seen = new Arrivals(slot);
                long deadline = slot.plus(ARRIVAL_TIMEOUT).toEpochMilli();
                while (seen.agents.size() < agents && System.currentTimeMillis() < deadline) {
                    seen.poll(consumer);
                }
                pollFor(consumer, seen, SETTLE);

                int afterBurst = seen.records + seen.others;
                long cpu0 = cpuMillis(scheduler);
                long w0 = System.nanoTime();
                pollFor(consumer, seen, window);
                long cpu1 = cpuMillis(scheduler);
                long windowMs = Stats.millisSince(w0, System.nanoTime());
                boolean alive = scheduler.handle().isAlive();

                report(agents, startup, publishMs, margin, loadMs, slot, cron, seen, afterBurst, cpu1 - cpu0, windowMs,
                        alive);
                if (seen.agents.size() != agents || seen.duplicates > 0 || seen.wrongSlot > 0 || !alive) {
                    throw new IllegalStateException("the scheduler did not fire each of the " + agents
                            + " agents exactly once for " + slot + " (distinct " + seen.agents.size() + ", duplicates "
                            + seen.duplicates + ", other slots " + seen.wrongSlot + ", scheduler alive " + alive + ")");
                }
            }
        });
    }

    /** The scheduled requests seen on the topic, with when this process received each. */
    private static final class Arrivals {
        final Instant slot;
        final Map<String, Integer> agents = new HashMap<>();
        final List<Long> receivedLateness = new ArrayList<>();
        final List<Long> createdLateness = new ArrayList<>();
        final Set<Instant> ticks = new HashSet<>();
        int records;
        int duplicates;
        int wrongSlot;
        int others;

        Arrivals(Instant slot) {
            this.slot = slot;
        }

        void poll(KafkaConsumer<String, String> consumer) {
            ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(100));
            long received = System.currentTimeMillis();
            for (ConsumerRecord<String, String> r : batch) {
                JobRequested job = EventJson.read(r.value(), JobRequested.class);
                if (job.triggerType() != TriggerType.SCHEDULE || !SCHEDULE.equals(job.schedule())) {
                    others++;
                    continue;
                }
                records++;
                if (!slot.equals(job.slot())) {
                    wrongSlot++;
                    continue;
                }
                if (agents.merge(job.agent(), 1, Integer::sum) > 1) {
                    duplicates++;
                    continue;
                }
                receivedLateness.add(received - slot.toEpochMilli());
                createdLateness.add(Duration.between(slot, job.time()).toMillis());
                ticks.add(job.time());
            }
        }
    }

    private static void pollFor(KafkaConsumer<String, String> consumer, Arrivals seen, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            seen.poll(consumer);
        }
    }

    /** Waits until the instance leads (only the leader fires); its state must be loaded by then too. */
    private static void awaitLeader(ServiceProcess scheduler, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = scheduler.get("/api/scheduler");
            if (last != null) {
                JsonNode info = EventJson.mapper().readTree(last);
                if (info.path("leader").asBoolean() && info.path("stateLoaded").asBoolean()) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the scheduler did not lead within " + timeout + " (last answer: " + last + ")");
    }

    /**
     * Waits until {@code /api/schedules} lists a schedule for every agent with the
     * chosen minute as its next fire, polling every 500 ms, at the latest until 5 s
     * before that minute; returns the ms from {@code publishStart} to that answer.
     */
    private static long awaitLoaded(ServiceProcess scheduler, int agents, Instant slot, long publishStart)
            throws Exception {
        Instant deadline = slot.minus(LOADED_BEFORE);
        int ready = 0;
        int listed = 0;
        while (Instant.now().isBefore(deadline)) {
            String body = scheduler.get("/api/schedules");
            if (body != null) {
                JsonNode list = EventJson.mapper().readTree(body);
                listed = list.size();
                ready = 0;
                for (JsonNode s : list) {
                    if (s.path("agent").asText().startsWith("bench-") && slot.equals(instant(s.path("nextFire")))) {
                        ready++;
                    }
                }
                if (ready == agents) {
                    return Stats.millisSince(publishStart, System.nanoTime());
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("5 s before " + slot + " the scheduler listed " + listed + " schedules, "
                + ready + " of " + agents + " due then");
    }

    private static Instant instant(JsonNode n) {
        if (n.isNumber()) {
            return Instant.ofEpochMilli(Math.round(n.asDouble() * 1000));
        }
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }

    private static long cpuMillis(ServiceProcess p) {
        return p.handle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the scheduler's CPU time is not readable"))
                .toMillis();
    }

    private static void report(int agents, double startup, long publishMs, Duration margin, long loadMs, Instant slot,
            String cron, Arrivals seen, int afterBurst, long cpuMs, long windowMs, boolean alive) {
        System.out.printf("""
                scheduler: 1 scheduler-service process (ready and leading in %.1f s), %d agents with cron "%s" (UTC)
                published %d specs in %d ms; %d s before the slot %s; all %d schedules listed as due then %d ms after publishing began
                """, startup, agents, cron, agents, publishMs, margin.toSeconds(), slot, agents, loadMs);
        System.out.printf("""
                requests for the slot: %d received, %d distinct agents of %d, %d duplicates, %d for another slot, %d other requests
                """, seen.records, seen.agents.size(), agents, seen.duplicates, seen.wrongSlot, seen.others);
        if (!seen.receivedLateness.isEmpty()) {
            List<Long> received = Stats.sorted(seen.receivedLateness);
            System.out.printf("""
                    created in %d scheduler tick(s) (distinct time fields); first to last received: %d ms
                                                                       p50 ms   p99 ms   max ms
                    """, seen.ticks.size(), received.get(received.size() - 1) - received.get(0));
            row("slot -> request received by a consumer", seen.receivedLateness);
            row("slot -> request created (its time field)", seen.createdLateness);
            long p99 = Stats.percentile(seen.receivedLateness, 99);
            System.out.printf("target: p99 slot -> received under %d ms: %s%n", TARGET_P99_MS,
                    p99 < TARGET_P99_MS && seen.agents.size() == agents ? "met" : "MISSED");
        }
        System.out.printf("""
                idle (no schedule due), after %d s settling: %d requests arrived meanwhile; window %.1f s
                scheduler CPU (user + system, whole JVM): %d ms in the window = %.0f ms per idle minute = %.2f %% of one core%s
                """, SETTLE.toSeconds(), seen.records + seen.others - afterBurst, windowMs / 1000.0, cpuMs,
                cpuMs * 60_000.0 / windowMs, 100.0 * cpuMs / windowMs, alive ? "" : " (the scheduler had EXITED)");
    }

    private static void row(String what, List<Long> ms) {
        List<Long> s = Stats.sorted(ms);
        System.out.printf("%-50s %7d  %7d  %7d%n", what, Stats.median(s), Stats.percentile(s, 99), s.get(s.size() - 1));
    }
}
