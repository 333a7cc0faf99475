package io.herdctl.audit.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.herdctl.events.JobOutputEmitted;

/**
 * Holds a job's lines that arrive ahead of their turn, for a while, so that a
 * line delivered out of order is written in its place rather than after a gap.
 * A line that is next in turn is released at once, with every held line that
 * then follows it. Held lines are released anyway (and the log marks what is
 * still missing) once the oldest of them has waited {@code window}, or when a
 * job holds more than {@code maxHeld}. Not thread-safe: one writer thread uses it.
 *
 * @param <T> what the caller needs back with a released line (its acknowledgement)
 */
public final class ReorderBuffer<T> {

    /** A line and its token. */
    public record Held<T>(JobOutputEmitted line, T token, Instant since) {
    }

    /** What an offer released: lines to write, in order, and tokens of copies of held lines (nothing to write). */
    public record Released<T>(List<Held<T>> ready, List<T> repeats) {

        static <T> Released<T> of(List<Held<T>> ready) {
            return new Released<>(ready, List.of());
        }
    }

    private final Duration window;
    private final int maxHeld;
    private final Map<String, TreeMap<Long, Held<T>>> held = new HashMap<>();

    public ReorderBuffer(Duration window, int maxHeld) {
        this.window = window;
        this.maxHeld = maxHeld;
    }

    /**
     * Takes a line; {@code next} is the sequence number the job's log expects.
     * Returns the lines to write now, in order (none while the line is held).
     * A line already behind the log is returned as it is: the caller decides.
     * A second copy of a held line replaces it; the first copy's token comes back
     * as a repeat, to acknowledge without writing.
     */
    public Released<T> offer(JobOutputEmitted line, T token, long next, Instant now) {
        Held<T> h = new Held<>(line, token, now);
        if (line.seq() < next) {
            return Released.of(List.of(h));
        }
        TreeMap<Long, Held<T>> job = held.get(line.jobId());
        if (line.seq() > next) {
            job = held.computeIfAbsent(line.jobId(), k -> new TreeMap<>());
            Held<T> before = job.put(line.seq(), before(job, line.seq(), h));
            List<T> repeats = before == null ? List.of() : List.of(before.token());
            if (job.size() > maxHeld) {
                List<Held<T>> out = new ArrayList<>(job.values());
                held.remove(line.jobId());
                return new Released<>(out, repeats);
            }
            return new Released<>(List.of(), repeats);
        }
        List<Held<T>> out = new ArrayList<>();
        out.add(h);
        if (job != null) {
            long expect = line.seq() + 1;
            Iterator<Map.Entry<Long, Held<T>>> it = job.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Held<T>> e = it.next();
                if (e.getKey() != expect) {
                    break;
                }
                out.add(e.getValue());
                it.remove();
                expect++;
            }
            if (job.isEmpty()) {
                held.remove(line.jobId());
            }
        }
        return Released.of(out);
    }

    /** A copy keeps the first copy's arrival time, so repeats cannot hold a line back forever. */
    private static <T> Held<T> before(TreeMap<Long, Held<T>> job, long seq, Held<T> h) {
        Held<T> first = job.get(seq);
        return first == null ? h : new Held<>(h.line(), h.token(), first.since());
    }

    /** The held lines of every job whose oldest held line has waited the window out, in order per job. */
    public List<Held<T>> expired(Instant now) {
        List<Held<T>> out = new ArrayList<>();
        Iterator<Map.Entry<String, TreeMap<Long, Held<T>>>> jobs = held.entrySet().iterator();
        while (jobs.hasNext()) {
            TreeMap<Long, Held<T>> job = jobs.next().getValue();
            Instant oldest = job.values().stream().map(Held::since).min(Instant::compareTo).orElse(now);
            if (!oldest.plus(window).isAfter(now)) {
                out.addAll(job.values());
                jobs.remove();
            }
        }
        return out;
    }

    public int size() {
        return held.values().stream().mapToInt(Map::size).sum();
    }
}
