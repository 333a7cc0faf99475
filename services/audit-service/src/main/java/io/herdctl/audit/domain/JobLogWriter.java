package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobOutputEmitted;

/**
 * Appends output lines to {@code <jobs>/<jobId>.jsonl} in herdctl's format (the
 * entry plus an ISO {@code timestamp}), exactly one line per sequence number.
 * Line {@code n} of a file is always sequence number {@code n}: a redelivered
 * line is recognised and skipped, and a sequence number that never arrived is
 * written as an explicit {@code OUTPUT_GAP} error line in its place.
 */
public final class JobLogWriter {

    private static final int REMEMBERED_JOBS = 1024;

    private final Path jobsDir;
    private final Map<String, Long> lastSeq = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_JOBS;
        }
    };

    public JobLogWriter(Path jobsDir) {
        this.jobsDir = jobsDir;
    }

    /** What {@link #append} did with a line. */
    public record Appended(boolean written, long missingBefore) {
    }

    /** The sequence number of the job's last written line (0 when none). */
    public synchronized long lastWritten(String jobId) {
        return last(fileOf(jobId), jobId);
    }

    public synchronized Appended append(JobOutputEmitted line) {
        Path file = fileOf(line.jobId());
        long last = last(file, line.jobId());
        if (line.seq() <= last) {
            return new Appended(false, 0);
        }
        StringBuilder text = new StringBuilder();
        long missing = line.seq() - last - 1;
        for (long seq = last + 1; seq < line.seq(); seq++) {
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("type", "error");
            gap.put("message", "output line " + seq + " of this job was never received; it is missing from this log");
            gap.put("code", "OUTPUT_GAP");
            gap.put("timestamp", line.time().toString());
            text.append(EventJson.write(gap)).append('\n');
        }
        text.append(EventJson.write(herdctlLine(line.entry(), line.type(), line.time()))).append('\n');
        write(file, text.toString());
        lastSeq.put(line.jobId(), line.seq());
        return new Appended(true, missing);
    }

    public Path fileOf(String jobId) {
        if (!JobIds.isValid(jobId)) {
            throw new IllegalArgumentException("job id '" + jobId + "' is not a herdctl job id; " + JobIds.FORMAT_MESSAGE);
        }
        return jobsDir.resolve(jobId + ".jsonl");
    }

    static Map<String, Object> herdctlLine(Map<String, Object> entry, String type, Instant time) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        entry.forEach((k, v) -> {
            if (!"type".equals(k) && !"timestamp".equals(k)) {
                line.put(k, v);
            }
        });
        line.put("timestamp", time.toString());
        return line;
    }

    private long last(Path file, String jobId) {
        Long known = lastSeq.get(jobId);
        if (known != null) {
            return known;
        }
        long lines = countLines(file);
        lastSeq.put(jobId, lines);
        return lines;
    }

    private static long countLines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long count = 0;
            while (channel.read(buffer) > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    if (buffer.get() == '\n') {
                        count++;
                    }
                }
                buffer.clear();
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(Path file, String text) {
        try {
            Files.createDirectories(jobsDir);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
