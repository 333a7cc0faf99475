package io.herdctl.runner.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.herdctl.events.EventIds;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobUsage;
import io.herdctl.events.OutputStream;
import io.herdctl.events.skills.RedFlag;
import io.herdctl.runner.messaging.JobEvents;
import io.herdctl.runner.output.ParsedLine;
import io.herdctl.runner.output.SecretRedactor;
import io.herdctl.runner.output.StreamJsonParser;

/**
 * Numbers, redacts, parses and publishes one job's lines, and remembers what
 * the run reported (session, result, last assistant text) to build its outcome.
 *
 * <p>A line longer than the splitter's limit arrives in pieces; each piece is
 * published as its own event whose entry is marked {@code line_part} (with its
 * part number and whether it continues), and the pieces are joined, up to
 * {@link #MAX_JOINED_CHARS}, only to read what the line says about the run.
 */
final class Collector implements SkillGate.Report {

    static final int MAX_JOINED_CHARS = 8 * 1024 * 1024;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    private final JobRequested job;
    private final SecretRedactor redactor;
    private final JobEvents events;
    private final Clock clock;
    private final List<CompletableFuture<Void>> acks = new ArrayList<>();
    private final Map<OutputStream, Split> splits = new EnumMap<>(OutputStream.class);
    private long seq;
    private long lost;
    private String sessionId;
    private ParsedLine.RunResult result;
    private String lastAssistantText;

    /** A long line being received in pieces on one stream. */
    private static final class Split {
        int parts;
        StringBuilder joined = new StringBuilder();
    }

    Collector(JobRequested job, SecretRedactor redactor, JobEvents events, Clock clock) {
        this.job = job;
        this.redactor = redactor;
        this.events = events;
        this.clock = clock;
    }

    synchronized void line(OutputStream stream, String rawLine, boolean continues) {
        String line = redactor.redact(rawLine);
        Split split = splits.get(stream);
        if (split == null && !continues) {
            read(StreamJsonParser.parse(stream, line), stream, line);
            return;
        }
        if (split == null) {
            split = new Split();
            splits.put(stream, split);
        }
        split.parts++;
        if (split.joined != null && split.joined.length() + line.length() <= MAX_JOINED_CHARS) {
            split.joined.append(line);
        } else {
            split.joined = null;
        }
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "system");
        part.put("subtype", "line_part");
        part.put("content", line);
        part.put("part", split.parts);
        part.put("continues", continues);
        publish(stream, line, List.of(part));
        if (!continues) {
            splits.remove(stream);
            if (split.joined != null) {
                remember(StreamJsonParser.parse(stream, split.joined.toString()));
            }
        }
    }

    /**
     * A red flag of the skill scan, as a line of the job's output that audit-service turns into an alert; the
     * job's own secrets are masked in it as in every other line.
     */
    @Override
    public synchronized void flag(RedFlag f, String mode) {
        RedFlag masked = new RedFlag(f.kind(), f.source(), f.severity(), f.file(), f.line(), f.field(),
                f.snippet() == null ? null : redactor.redact(f.snippet()), redactor.redact(f.message()), f.fix());
        Map<String, Object> entry = masked.toEntry(mode);
        publish(OutputStream.STDOUT, io.herdctl.events.EventJson.write(entry), List.of(entry));
    }

    /** A job refused before it started: its lines so far are on the broker before the status says it ended. */
    synchronized Outcome refused(String error) {
        awaitAcks();
        return new Outcome(JobStatus.FAILED, ExitReason.ERROR, null, error, null, null, null, seq);
    }

    /** A line the runner itself adds to the job's output (session notes). */
    @Override
    public synchronized void note(String text) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", "system");
        entry.put("subtype", "herdctl");
        entry.put("content", text);
        publish(OutputStream.STDOUT, io.herdctl.events.EventJson.write(entry), List.of(entry));
    }

    /** Forgets what a first attempt reported before the job is run again (its lines stay published). */
    synchronized void resetRun() {
        result = null;
        sessionId = null;
    }

    /** Whether the run failed because the session it was asked to resume is gone. */
    synchronized boolean sessionNotFound() {
        if (result == null || !result.isError()) {
            return false;
        }
        String all = String.join(" ", result.errors()) + " " + (result.text() == null ? "" : result.text());
        return all.contains("No conversation found") || all.toLowerCase(java.util.Locale.ROOT).contains("session not found");
    }

    private void read(ParsedLine parsed, OutputStream stream, String line) {
        remember(parsed);
        publish(stream, line, parsed.entries());
    }

    private void remember(ParsedLine parsed) {
        if (parsed.sessionId() != null) {
            sessionId = parsed.sessionId();
        }
        if (parsed.result() != null) {
            result = parsed.result();
        }
        for (Map<String, Object> entry : parsed.entries()) {
            if ("assistant".equals(entry.get("type")) && entry.get("content") instanceof String text && !text.isBlank()) {
                lastAssistantText = text;
            }
        }
    }

    private void publish(OutputStream stream, String line, List<Map<String, Object>> entries) {
        boolean truncated = line.length() > JobOutputEmitted.MAX_RAW_CHARS;
        String raw = truncated ? line.substring(0, JobOutputEmitted.MAX_RAW_CHARS) : line;
        Instant now = clock.instant();
        for (Map<String, Object> entry : entries) {
            seq++;
            JobOutputEmitted event = new JobOutputEmitted(EventIds.derived(job.jobId(), Long.toString(seq)), now,
                    JobOutputEmitted.SCHEMA_VERSION, job.jobId(), job.agent(), seq, stream, (String) entry.get("type"), raw,
                    truncated, entry);
            try {
                acks.add(events.output(event));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lost++;
            } catch (RuntimeException e) {
                lost++;
            }
        }
    }

    /**
     * @param exitCode the process's exit code, or null when it never started
     * @param stop     why the job was stopped from outside, or null
     */
    synchronized Outcome outcome(Integer exitCode, HeldJob.Stop stop) {
        awaitAcks();
        long unacked = lost + acks.stream().filter(a -> !a.isDone() || a.isCompletedExceptionally()).count();
        JobUsage usage = result == null ? null : usage(result);
        String summary = result != null && result.text() != null ? result.text() : lastAssistantText;
        if (stop != null) {
            JobStatus status = stop.reason() == ExitReason.TIMEOUT ? JobStatus.FAILED : JobStatus.CANCELLED;
            return new Outcome(status, stop.reason(), exitCode, stop.message(), sessionId, summary, usage, seq);
        }
        String error = null;
        ExitReason reason = ExitReason.SUCCESS;
        if (exitCode == null) {
            reason = ExitReason.ERROR;
            error = "the job did not start";
        } else if (exitCode != 0) {
            reason = maxTurns() ? ExitReason.MAX_TURNS : ExitReason.ERROR;
            error = "Claude CLI exited with code " + exitCode + resultErrors();
        } else if (result == null) {
            reason = ExitReason.ERROR;
            error = "the run ended without a result message (" + seq + " output lines)";
        } else if (result.isError()) {
            reason = maxTurns() ? ExitReason.MAX_TURNS : ExitReason.ERROR;
            error = "Claude reported an error" + resultErrors();
        }
        if (unacked > 0) {
            reason = ExitReason.ERROR;
            error = (error == null ? "" : error + "; ") + unacked + " of " + seq
                    + " output lines were not acknowledged by the broker";
        }
        return new Outcome(error == null ? JobStatus.COMPLETED : JobStatus.FAILED, reason, exitCode, error, sessionId,
                summary, usage, seq);
    }

    private void awaitAcks() {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The caller counts what was not acknowledged.
        }
    }

    private boolean maxTurns() {
        return result != null && "error_max_turns".equals(result.subtype());
    }

    private String resultErrors() {
        if (result == null) {
            return "";
        }
        if (!result.errors().isEmpty()) {
            return ": " + String.join("; ", result.errors());
        }
        return result.isError() && result.text() != null ? ": " + result.text() : "";
    }

    private static JobUsage usage(ParsedLine.RunResult r) {
        Map<String, JobUsage.ModelUsage> perModel = new LinkedHashMap<>();
        r.modelUsage().forEach((model, u) -> perModel.put(model, new JobUsage.ModelUsage(
                (Long) u.get("input_tokens"), (Long) u.get("output_tokens"), (Long) u.get("cache_creation_input_tokens"),
                (Long) u.get("cache_read_input_tokens"), (Double) u.get("cost_usd"))));
        return new JobUsage(r.inputTokens(), r.outputTokens(), r.cacheCreationInputTokens(), r.cacheReadInputTokens(),
                r.numTurns(), r.totalCostUsd(), perModel);
    }
}
