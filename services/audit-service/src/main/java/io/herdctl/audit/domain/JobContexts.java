package io.herdctl.audit.domain;

import java.util.LinkedHashMap;
import java.util.Map;

import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.OcsfFinding;

/**
 * Where each recent job runs (container and runner), learnt from its status
 * changes, so an alert on one of its lines can name the container. Bounded: the
 * least recently used jobs are forgotten first.
 */
public final class JobContexts {

    private static final int REMEMBERED_JOBS = 10_000;

    private record Where(String containerId, String runnerId) {
    }

    private final Map<String, Where> jobs = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Where> eldest) {
            return size() > REMEMBERED_JOBS;
        }
    };

    public synchronized void status(JobStatusChanged s) {
        Where known = jobs.get(s.jobId());
        String container = s.containerId() != null ? s.containerId() : known == null ? null : known.containerId();
        String runner = s.runnerId() != null ? s.runnerId() : known == null ? null : known.runnerId();
        if (container != null || runner != null) {
            jobs.put(s.jobId(), new Where(container, runner));
        }
    }

    /**
     * The OCSF context of a finding on the job: its container and runner when known,
     * and what the finding was read from.
     */
    public synchronized OcsfFinding.Context of(String jobId, String lineType, String dataSource) {
        Where w = jobs.get(jobId);
        return new OcsfFinding.Context(w == null ? null : w.containerId(), w == null ? null : w.runnerId(), lineType,
                dataSource);
    }
}
