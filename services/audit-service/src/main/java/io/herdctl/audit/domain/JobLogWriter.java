package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.BufferedReader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobOutputEmitted;

/**
 * Appends output lines to {@code <jobs>/<jobId>.jsonl} in herdctl's format (the
 * entry plus an ISO {@code timestamp}), exactly one line per sequence number.
 * Line {@code n} of a file is always sequence number {@code n}: a redelivered
 * line is recognised and skipped, and a sequence number that never arrived is
 * written as an explicit {@code OUTPUT_GAP} error line in its place. If the line
 * turns up later, it takes its place ({@link #fill}). A last line cut short (the
 * service killed in the middle of a write) is removed before the next append.
 * Every write returns the lines it wrote, exactly as they stand in the file, so
 * the caller can pass them on without reading the file back.
 */
public final class JobLogWriter {

    public static final String GAP_CODE = "OUTPUT_GAP";
    private static final Logger LOG = Logger.getLogger(JobLogWriter.class);
    private static final int REMEMBERED_JOBS = 1024;

    private static final byte[] GAP_MARK = ("\"code\":\"" + GAP_CODE + "\"").getBytes(StandardCharsets.US_ASCII);

    /** What is known of a job's log: its last line and which lines are gap markers. */
    private static final class LogState {
        long last;
        final java.util.TreeSet<Long> gaps = new java.util.TreeSet<>();
    }

    private final Path jobsDir;
    private final Map<String, LogState> logs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LogState> eldest) {
            return size() > REMEMBERED_JOBS;
        }
    };

    public JobLogWriter(Path jobsDir) {
        this.jobsDir = jobsDir;
    }

    /** Where the logs are. */
    public Path dir() {
        return jobsDir;
    }

    /** Line {@code seq} of a log: its text as it stands in the file, without the newline. */
    public record Line(long seq, String text) {
    }

    /** The sequence number of the job's last written line (0 when none). */
    public synchronized long lastWritten(String jobId) {
        return last(fileOf(jobId), jobId);
    }

    /** Whether line {@code seq} of the job's log marks a line that never arrived. */
    public synchronized boolean isGap(String jobId, long seq) {
        return state(fileOf(jobId), jobId).gaps.contains(seq);
    }

    /**
     * Writes the line in its place, after a gap marker for each sequence number
     * before it that never arrived; returns those lines in order, none when the
     * line was written already.
     */
    public synchronized List<Line> append(JobOutputEmitted line) {
        Path file = fileOf(line.jobId());
        long last = last(file, line.jobId());
        if (line.seq() <= last) {
            return List.of();
        }
        LogState state = state(file, line.jobId());
        List<Line> written = gaps(state, last + 1, line.seq() - 1, line.time());
        written.add(new Line(line.seq(), EventJson.write(herdctlLine(line.entry(), line.type(), line.time()))));
        write(file, written);
        state.last = line.seq();
        return written;
    }

    /**
     * Marks the job's lines after the last written one, through {@code through},
     * as never received (the job ended and they did not come); returns the gap
     * markers written.
     */
    public synchronized List<Line> markMissing(String jobId, long through, Instant time) {
        Path file = fileOf(jobId);
        LogState state = state(file, jobId);
        if (through <= state.last) {
            return List.of();
        }
        List<Line> written = gaps(state, state.last + 1, through, time);
        write(file, written);
        state.last = through;
        return written;
    }

    private static List<Line> gaps(LogState state, long from, long through, Instant time) {
        List<Line> lines = new ArrayList<>();
        for (long seq = from; seq <= through; seq++) {
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("type", "error");
            gap.put("message", "output line " + seq + " of this job was never received; it is missing from this log");
            gap.put("code", GAP_CODE);
            gap.put("timestamp", time.toString());
            lines.add(new Line(seq, EventJson.write(gap)));
            state.gaps.add(seq);
        }
        return lines;
    }

    /**
     * Puts a line that arrived after its place was marked missing into that place;
     * returns it as written. Returns none (and changes nothing) when the place
     * holds a real line.
     */
    public synchronized List<Line> fill(JobOutputEmitted line) {
        Path file = fileOf(line.jobId());
        if (line.seq() > last(file, line.jobId())) {
            return List.of();
        }
        List<String> lines = read(file, 1, Integer.MAX_VALUE);
        int index = (int) (line.seq() - 1);
        LogState state = state(file, line.jobId());
        if (index >= lines.size() || !state.gaps.contains(line.seq())) {
            return List.of();
        }
        Line filled = new Line(line.seq(), EventJson.write(herdctlLine(line.entry(), line.type(), line.time())));
        lines.set(index, filled.text());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
        state.gaps.remove(line.seq());
        return List.of(filled);
    }

    /** Up to {@code limit} lines of a job's log from sequence number {@code from} (1-based); none when there is no log. */
    public List<String> read(String jobId, long from, int limit) {
        return read(fileOf(jobId), from, limit);
    }

    private static List<String> read(Path file, long from, int limit) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long seq = 0;
            String text;
            while (out.size() < limit && (text = in.readLine()) != null) {
                if (++seq >= from) {
                    out.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** Forgets what it knows of a job (its files were removed). */
    public synchronized void forget(String jobId) {
        logs.remove(jobId);
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
        return state(file, jobId).last;
    }

    private LogState state(Path file, String jobId) {
        LogState known = logs.get(jobId);
        if (known == null) {
            known = scan(file);
            logs.put(jobId, known);
        }
        return known;
    }

    /**
     * Counts the file's complete lines and notes its gap markers; a cut-short last
     * line is cut off, so the next append starts on a line of its own. A marker
     * cannot be forged by output: inside a JSON string its quotes are escaped.
     */
    private static LogState scan(Path file) {
        LogState state = new LogState();
        if (!Files.exists(file)) {
            return state;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long count = 0;
            long position = 0;
            long endOfLastLine = 0;
            int matched = 0;
            while (channel.read(buffer) > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    position++;
                    byte b = buffer.get();
                    if (b == '\n') {
                        count++;
                        endOfLastLine = position;
                        matched = 0;
                    } else if (b == GAP_MARK[matched]) {
                        if (++matched == GAP_MARK.length) {
                            state.gaps.add(count + 1);
                            matched = 0;
                        }
                    } else {
                        matched = b == GAP_MARK[0] ? 1 : 0;
                    }
                }
                buffer.clear();
            }
            if (endOfLastLine < position) {
                LOG.warnf("%s ended in a partial line (%d bytes, a write cut short); it is removed and the line is"
                        + " written again when it is delivered again", file, position - endOfLastLine);
                channel.truncate(endOfLastLine);
                state.gaps.remove(count + 1);
            }
            state.last = count;
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(Path file, List<Line> lines) {
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            text.append(line.text()).append('\n');
        }
        try {
            Files.createDirectories(jobsDir);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
