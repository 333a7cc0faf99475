package io.herdctl.scheduler.domain;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.herdctl.events.JobStatus;

/**
 * Which jobs of each agent are requested or running, from every scheduler and
 * trigger, as told by the job topics. A job counts against its agent's
 * {@code instances.max_concurrent} from the moment it is requested until a
 * terminal status arrives. Terminal ids are remembered (bounded) so a request
 * read after its own completion is not counted again.
 */
@ApplicationScoped
public class JobLedger {

    private static final int FINISHED_MEMORY = 10_000;

    private final Map<String, Set<String>> activeByAgent = new HashMap<>();
    private final Map<String, String> scheduleOf = new HashMap<>();
    private final Set<String> finished = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > FINISHED_MEMORY;
        }
    });

    public synchronized void requested(String agent, String jobId) {
        requested(agent, jobId, null);
    }

    /** @param schedule the schedule that asked for the job, or null for a trigger */
    public synchronized void requested(String agent, String jobId, String schedule) {
        if (!finished.contains(jobId)) {
            activeByAgent.computeIfAbsent(agent, a -> new HashSet<>()).add(jobId);
            if (schedule != null) {
                scheduleOf.put(jobId, schedule);
            }
        }
    }

    /** The agent's jobs that are not over and were asked for by {@code schedule}. */
    public synchronized List<String> activeOf(String agent, String schedule) {
        Set<String> active = activeByAgent.getOrDefault(agent, Set.of());
        return active.stream().filter(id -> schedule.equals(scheduleOf.get(id))).sorted().toList();
    }

    public synchronized void statusChanged(String agent, String jobId, JobStatus status) {
        if (status.isTerminal()) {
            finished.add(jobId);
            scheduleOf.remove(jobId);
            Set<String> active = activeByAgent.get(agent);
            if (active != null) {
                active.remove(jobId);
            }
        } else {
            requested(agent, jobId);
        }
    }

    /** Every job, of any agent, that is requested or running and not over. */
    public synchronized List<String> active() {
        return activeByAgent.values().stream().flatMap(Set::stream).sorted().toList();
    }

    public synchronized int activeCount(String agent) {
        Set<String> active = activeByAgent.get(agent);
        return active == null ? 0 : active.size();
    }

    /**
     * Registers a new job for {@code agent} unless the agent already runs
     * {@code limit} jobs; returns the count before, or -1 when registered.
     */
    public synchronized int tryReserve(String agent, String jobId, int limit) {
        return tryReserve(agent, jobId, null, limit);
    }

    public synchronized int tryReserve(String agent, String jobId, String schedule, int limit) {
        int active = activeCount(agent);
        if (active >= limit) {
            return active;
        }
        requested(agent, jobId, schedule);
        return -1;
    }
}
