package io.herdctl.audit.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.jboss.logging.Logger;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.JobIds;
import io.herdctl.events.MalformedEventException;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;

/**
 * Every alert raised, kept as the OCSF document that went to the broker, one
 * per line in {@code <state>/alerts/<jobId>.jsonl}, and in memory for the API.
 * An alert raised again (its line delivered again) has the same id and is kept
 * once. Egress refusals no job is known for are kept under the pseudo job
 * {@value EgressAlerts#UNATTRIBUTED_JOB}, in a file of that name.
 */
public final class AlertStore {

    private static final Logger LOG = Logger.getLogger(AlertStore.class);
    private static final Comparator<AuditAlertRaised> NEWEST_FIRST = Comparator.comparing(AuditAlertRaised::time)
            .thenComparing(AuditAlertRaised::eventId).reversed();

    /** A list request: filters (null: any) and page. */
    public record Query(String jobId, String agent, String ruleId, Severity minSeverity, Instant since, Instant until,
            int limit, int offset) {
    }

    public record Page(List<AuditAlertRaised> alerts, int total) {
    }

    private final Path dir;
    private final Map<String, AuditAlertRaised> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> perJob = new ConcurrentHashMap<>();
    private final NavigableSet<AuditAlertRaised> newestFirst = new ConcurrentSkipListSet<>(NEWEST_FIRST);

    public AlertStore(Path dir) {
        this.dir = dir;
    }

    /** Where the alert files are. */
    public Path dir() {
        return dir;
    }

    public Path fileOf(String jobId) {
        if (!JobIds.isValid(jobId) && !EgressAlerts.UNATTRIBUTED_JOB.equals(jobId)
                && !FleetControlLog.JOB.equals(jobId)) {
            throw new IllegalArgumentException("job id '" + jobId + "' is not a herdctl job id; " + JobIds.FORMAT_MESSAGE);
        }
        return dir.resolve(jobId + ".jsonl");
    }

    /** Reads every alert file again; returns how many alerts there are. */
    public synchronized int rebuild() {
        byId.clear();
        perJob.clear();
        newestFirst.clear();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                "{job-*," + EgressAlerts.UNATTRIBUTED_JOB + "," + FleetControlLog.JOB + "}.jsonl")) {
            for (Path file : files) {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    int n = 0;
                    while ((line = in.readLine()) != null) {
                        n++;
                        if (line.isBlank()) {
                            continue;
                        }
                        try {
                            remember(OcsfFinding.read(line));
                        } catch (MalformedEventException e) {
                            LOG.warnf("%s line %d is not an alert and is left out: %s", file, n, e.getMessage());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the alerts in " + dir, e);
        }
        return byId.size();
    }

    /** Keeps an alert (its OCSF document as published); false when it was kept already. */
    public synchronized boolean add(AuditAlertRaised alert, String document) {
        if (byId.containsKey(alert.eventId())) {
            return false;
        }
        Path file = fileOf(alert.jobId());
        try {
            Files.createDirectories(dir);
            Files.writeString(file, document + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        remember(alert);
        return true;
    }

    private void remember(AuditAlertRaised alert) {
        if (byId.putIfAbsent(alert.eventId(), alert) == null) {
            newestFirst.add(alert);
            perJob.merge(alert.jobId(), 1, Integer::sum);
        }
    }

    /** Whether an alert with this id is kept already. */
    public boolean contains(String eventId) {
        return byId.containsKey(eventId);
    }

    public int countFor(String jobId) {
        return perJob.getOrDefault(jobId, 0);
    }

    public int size() {
        return byId.size();
    }

    /** Drops a job's alerts (its record was removed by retention). */
    public synchronized void remove(String jobId) throws IOException {
        Files.deleteIfExists(fileOf(jobId));
        if (perJob.remove(jobId) != null) {
            newestFirst.removeIf(a -> a.jobId().equals(jobId));
            byId.values().removeIf(a -> a.jobId().equals(jobId));
        }
    }

    /**
     * Drops the alerts of a pseudo job that were raised before {@code cutoff} (its
     * file is rewritten without them); returns how many. Real jobs' alerts go with
     * their record ({@link #remove}).
     */
    public synchronized int removeRaisedBefore(String jobId, Instant cutoff) throws IOException {
        List<AuditAlertRaised> old = newestFirst.stream()
                .filter(a -> a.jobId().equals(jobId) && a.time().isBefore(cutoff)).toList();
        if (old.isEmpty()) {
            return 0;
        }
        Path file = fileOf(jobId);
        if (Files.exists(file)) {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    if (!line.isBlank() && !OcsfFinding.read(line).time().isBefore(cutoff)) {
                        kept.append(line).append('\n');
                    }
                } catch (MalformedEventException e) {
                    // left out, as rebuild() leaves it out
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        for (AuditAlertRaised a : old) {
            newestFirst.remove(a);
            byId.remove(a.eventId());
        }
        perJob.computeIfPresent(jobId, (k, n) -> n - old.size() > 0 ? n - old.size() : null);
        return old.size();
    }

    public long bytesOf(String jobId) throws IOException {
        Path file = fileOf(jobId);
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** The alerts raised in {@code [since, until)}, newest first; the walk stops at the first one older. */
    public List<AuditAlertRaised> raisedBetween(Instant since, Instant until) {
        List<AuditAlertRaised> out = new ArrayList<>();
        for (AuditAlertRaised a : newestFirst) {
            if (a.time().isBefore(since)) {
                break;
            }
            if (a.time().isBefore(until)) {
                out.add(a);
            }
        }
        return out;
    }

    public Page query(Query q) {
        List<AuditAlertRaised> page = new ArrayList<>();
        int total = 0;
        for (AuditAlertRaised a : newestFirst) {
            if ((q.jobId() == null || q.jobId().equals(a.jobId()))
                    && (q.agent() == null || q.agent().equals(a.agent()))
                    && (q.ruleId() == null || q.ruleId().equals(a.ruleId()))
                    && (q.minSeverity() == null || a.severity().compareTo(q.minSeverity()) >= 0)
                    && (q.since() == null || !a.time().isBefore(q.since()))
                    && (q.until() == null || a.time().isBefore(q.until()))) {
                if (total >= q.offset() && page.size() < q.limit()) {
                    page.add(a);
                }
                total++;
            }
        }
        return new Page(page, total);
    }
}
