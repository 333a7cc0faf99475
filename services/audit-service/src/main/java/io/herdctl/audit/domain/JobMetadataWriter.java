package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.WorkspaceChanges;

/**
 * {@code <jobId>.yaml} beside the job's JSONL, with herdctl's metadata fields:
 * {@code id, agent, schedule, trigger_type, status, exit_reason, session_id,
 * forked_from, started_at, finished_at, duration_seconds, prompt, summary,
 * output_file, usage}. Each write replaces the file atomically (a reader never
 * sees half a file). A status that arrives after the terminal one (redelivery,
 * out of order) never takes the job back from its end; the prompt comes from
 * the job's request, whenever that is read. Text that came from the job or its
 * trigger (prompt, summary, error) is masked by the redacting rules first.
 *
 * <p>What a job changed in its git workspace (the terminal status's {@code workspace})
 * is kept beside it in {@code <jobId>.workspace.json}, masked the same way: it can be
 * 64 KiB of diff, which the metadata, read for every job at start, should not carry.
 */
public final class JobMetadataWriter {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path jobsDir;
    private final UnaryOperator<String> redact;
    private final Consumer<Map<String, Object>> written;

    public JobMetadataWriter(Path jobsDir, UnaryOperator<String> redact) {
        this(jobsDir, redact, m -> {
        });
    }

    /** @param written told of every write, in write order, with the metadata as written */
    public JobMetadataWriter(Path jobsDir, UnaryOperator<String> redact, Consumer<Map<String, Object>> written) {
        this.jobsDir = jobsDir;
        this.redact = redact;
        this.written = written;
    }

    public Path fileOf(String jobId) {
        if (!JobIds.isValid(jobId)) {
            throw new IllegalArgumentException("job id '" + jobId + "' is not a herdctl job id; " + JobIds.FORMAT_MESSAGE);
        }
        return jobsDir.resolve(jobId + ".yaml");
    }

    public Path workspaceFileOf(String jobId) {
        return fileOf(jobId).resolveSibling(jobId + ".workspace.json");
    }

    /**
     * Keeps the job's workspace changes, paths and diff masked. Written whole each time:
     * a status delivered again writes the same file.
     */
    public synchronized void workspace(String jobId, WorkspaceChanges changes) {
        List<WorkspaceChanges.ChangedFile> files = changes.files().stream()
                .map(f -> new WorkspaceChanges.ChangedFile(redact.apply(f.path()), f.status(), f.preexisting(), f.binary(),
                        f.withheld(), f.diffTruncated()))
                .toList();
        WorkspaceChanges masked = new WorkspaceChanges(changes.baseline(), changes.headBefore(), changes.headAfter(),
                changes.agentFile(), files, changes.filesOmitted(), redact.apply(changes.diff()), changes.diffTruncated(),
                changes.notes().stream().map(redact).toList());
        Path file = workspaceFileOf(jobId);
        try {
            Files.createDirectories(jobsDir);
            Path tmp = jobsDir.resolve("." + jobId + ".workspace.json.tmp");
            Files.writeString(tmp, EventJson.write(masked));
            replace(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The job's workspace changes as kept, or null when it has none. */
    public WorkspaceChanges workspace(String jobId) {
        Path file = workspaceFileOf(jobId);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return EventJson.read(Files.readString(file), WorkspaceChanges.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Folds a status change into the job's metadata; returns it as written, or null when nothing changed. */
    public synchronized Map<String, Object> status(JobStatusChanged s) {
        Map<String, Object> m = read(s.jobId());
        JobStatus current = m.get("status") == null ? null : JobStatus.fromWire(String.valueOf(m.get("status")));
        if (current != null && current.isTerminal()) {
            return null;
        }
        base(m, s.jobId(), s.agent());
        m.put("schedule", s.schedule() != null ? s.schedule() : m.get("schedule"));
        if (s.triggerType() != null) {
            m.put("trigger_type", s.triggerType().wire());
        }
        m.put("status", s.status().wire());
        if (s.exitReason() != null) {
            m.put("exit_reason", s.exitReason().wire());
        }
        if (s.sessionId() != null) {
            m.put("session_id", s.sessionId());
        }
        if (m.get("started_at") == null || s.status() == JobStatus.RUNNING) {
            Instant started = s.startedAt() != null ? s.startedAt() : s.time();
            m.put("started_at", started.toString());
        }
        if (s.finishedAt() != null) {
            m.put("finished_at", s.finishedAt().toString());
            Instant started = Instant.parse(String.valueOf(m.get("started_at")));
            m.put("duration_seconds", Math.max(0, Math.round(Duration.between(started, s.finishedAt()).toMillis() / 1000.0)));
        }
        if (s.summary() != null) {
            m.put("summary", redact.apply(s.summary()));
        }
        if (s.error() != null) {
            m.put("error", redact.apply(s.error()));
        }
        if (s.usage() != null) {
            m.put("usage", usage(s.usage()));
        }
        if (s.outputLines() != null) {
            m.put("output_lines", s.outputLines());
        }
        write(s.jobId(), m);
        return m;
    }

    /** Adds what only the request knows (the prompt, the trigger) to the job's metadata; returns it as written. */
    public synchronized Map<String, Object> requested(JobRequested r) {
        Map<String, Object> m = read(r.jobId());
        base(m, r.jobId(), r.agent());
        m.put("schedule", r.schedule());
        m.put("trigger_type", r.triggerType().wire());
        m.putIfAbsent("status", JobStatus.PENDING.wire());
        m.putIfAbsent("started_at", r.time().toString());
        m.put("prompt", r.prompt() == null ? null : redact.apply(r.prompt()));
        write(r.jobId(), m);
        return m;
    }

    private void base(Map<String, Object> m, String jobId, String agent) {
        m.put("id", jobId);
        m.put("agent", agent);
        for (String key : new String[] {"schedule", "trigger_type", "status", "exit_reason", "session_id", "forked_from",
                "started_at", "finished_at", "duration_seconds", "prompt", "summary"}) {
            m.putIfAbsent(key, null);
        }
        m.put("output_file", jobsDir.resolve(jobId + ".jsonl").toAbsolutePath().toString());
    }

    static Map<String, Object> usage(JobUsage u) {
        Map<String, Object> perModel = new LinkedHashMap<>();
        u.perModel().forEach((model, mu) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("input_tokens", mu.inputTokens());
            one.put("output_tokens", mu.outputTokens());
            one.put("cache_creation_input_tokens", mu.cacheCreationInputTokens());
            one.put("cache_read_input_tokens", mu.cacheReadInputTokens());
            perModel.put(model, one);
        });
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("per_model", perModel);
        usage.put("num_turns", u.numTurns());
        usage.put("total_cost_usd", u.totalCostUsd());
        return usage;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> read(String jobId) {
        Path file = fileOf(jobId);
        if (!Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> m = YAML.readValue(file.toFile(), LinkedHashMap.class);
            return m == null ? new LinkedHashMap<>() : m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(String jobId, Map<String, Object> m) {
        Path file = fileOf(jobId);
        try {
            Files.createDirectories(jobsDir);
            Path tmp = jobsDir.resolve("." + jobId + ".yaml.tmp");
            YAML.writeValue(tmp.toFile(), m);
            replace(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        written.accept(m);
    }

    private static void replace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
