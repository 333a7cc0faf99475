package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetControl;
import io.herdctl.events.MalformedEventException;
import io.herdctl.events.Severity;

/**
 * The kill switch's audit trail: {@code <state>/fleet-control.jsonl}, one line
 * per stop or resume (who, when, why), appended and synced before the record is
 * acknowledged, each once. Every change is also raised as an alert so a SIEM
 * sees it: {@code fleet-stopped} (high) and {@code fleet-resumed} (low), on the
 * pseudo job {@value #JOB} with agent {@value #AGENT}, ids derived from the
 * record so a redelivered one raises the same alert.
 */
public final class FleetControlLog {

    public static final String JOB = "fleet-control";
    public static final String AGENT = "fleet";
    public static final String STOPPED_RULE = "fleet-stopped";
    public static final String RESUMED_RULE = "fleet-resumed";

    private final Path file;
    private final Set<String> recorded = new HashSet<>();

    public FleetControlLog(Path stateDir) {
        this.file = stateDir.resolve("fleet-control.jsonl");
        if (Files.isRegularFile(file)) {
            try {
                // A torn last line from a crash is skipped: its record comes again and is appended whole.
                all().forEach(c -> recorded.add(c.eventId()));
                terminateTornLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    /** A crash mid-append leaves a line without its end; the next record must start on a line of its own. */
    private void terminateTornLine() throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = f.size();
            if (size == 0) {
                return;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            f.read(last, size - 1);
            if (last.get(0) != '\n') {
                f.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), size);
                f.force(true);
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Appends the change unless it is on file already; true when it was new. */
    public synchronized boolean append(FleetControl change) throws IOException {
        if (recorded.contains(change.eventId())) {
            return false;
        }
        Files.createDirectories(file.getParent());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            out.write(java.nio.ByteBuffer.wrap((EventJson.write(change) + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        recorded.add(change.eventId());
        return true;
    }

    /** Every change on file, oldest first. */
    public synchronized List<FleetControl> all() throws IOException {
        List<FleetControl> out = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    out.add(EventJson.read(line, FleetControl.class));
                } catch (MalformedEventException e) {
                    // a torn line: its record was appended again, whole
                }
            }
        }
        return out;
    }

    /** The alert a SIEM gets for the change. */
    public static AuditAlertRaised alert(FleetControl change, Instant now) {
        String rule = change.stopped() ? STOPPED_RULE : RESUMED_RULE;
        String reason = change.reason() == null ? "" : ": " + change.reason();
        String title = change.stopped() ? "Fleet stopped by " + change.changedBy() + " (kill switch)"
                : "Fleet resumed by " + change.changedBy();
        String excerpt = (change.stopped() ? "stop" : "resume") + " by " + change.changedBy() + " at " + change.time()
                + reason;
        return new AuditAlertRaised(EventIds.derived(rule, change.eventId()), now, AuditAlertRaised.SCHEMA_VERSION, JOB,
                AGENT, 0, rule, title, change.stopped() ? Severity.HIGH : Severity.LOW,
                excerpt.length() <= DetectionRules.EXCERPT_CHARS ? excerpt
                        : excerpt.substring(0, DetectionRules.EXCERPT_CHARS) + "…",
                change.time());
    }
}
