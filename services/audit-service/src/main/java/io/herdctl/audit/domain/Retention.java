package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes finished jobs' records, oldest first: every job that started longer
 * ago than the age limit, then more while the record as a whole is over the size
 * limit. A job that has not ended is never removed, whatever its age. A job's
 * log, metadata, workspace changes and alerts go together. Unattributed egress alerts (no job's
 * record to go with) are removed by the age limit alone.
 */
public final class Retention {

    /** What one sweep removed, and the record's size after it. */
    public record Sweep(int jobs, long bytesFreed, long bytesKept) {
    }

    private final JobIndex index;
    private final AlertStore alerts;
    private final JobLogWriter logs;
    private final JobMetadataWriter metadata;
    private final Duration maxAge;
    private final Long maxBytes;

    public Retention(JobIndex index, AlertStore alerts, JobLogWriter logs, JobMetadataWriter metadata, Duration maxAge,
            Long maxBytes) {
        this.index = index;
        this.alerts = alerts;
        this.logs = logs;
        this.metadata = metadata;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
    }

    public boolean enabled() {
        return maxAge != null || maxBytes != null;
    }

    public synchronized Sweep sweep(Instant now) {
        if (!enabled()) {
            return new Sweep(0, 0, 0);
        }
        long total = maxBytes == null ? 0 : totalBytes();
        int removed = 0;
        long freed = 0;
        for (JobIndex.Row row : index.oldestFirst()) {
            if (!row.status().isTerminal()) {
                continue;
            }
            boolean tooOld = maxAge != null && row.startedAt().isBefore(now.minus(maxAge));
            boolean overSize = maxBytes != null && total > maxBytes;
            if (!tooOld && !overSize) {
                break; // oldest first: nothing later is too old, and the size only went down
            }
            long bytes = remove(row.id());
            total -= bytes;
            freed += bytes;
            removed++;
        }
        if (maxAge != null) {
            try {
                alerts.removeRaisedBefore(EgressAlerts.UNATTRIBUTED_JOB, now.minus(maxAge));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove old unattributed egress alerts", e);
            }
        }
        return new Sweep(removed, freed, Math.max(0, total));
    }

    /** Deletes one job's files and forgets it; returns the bytes it took. */
    long remove(String jobId) {
        try {
            long bytes = sizeOf(logs.fileOf(jobId)) + sizeOf(metadata.fileOf(jobId))
                    + sizeOf(metadata.workspaceFileOf(jobId)) + alerts.bytesOf(jobId);
            index.remove(jobId);
            Files.deleteIfExists(logs.fileOf(jobId));
            Files.deleteIfExists(metadata.fileOf(jobId));
            Files.deleteIfExists(metadata.workspaceFileOf(jobId));
            alerts.remove(jobId);
            logs.forget(jobId);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the record of " + jobId, e);
        }
    }

    private long totalBytes() {
        long total = 0;
        for (Path dir : List.of(logs.dir(), alerts.dir())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "job-*")) {
                all.forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
            for (Path f : files) {
                total += sizeOf(f);
            }
        }
        return total;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
