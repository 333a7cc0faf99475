package io.herdctl.launcher;

import java.util.ArrayList;
import java.util.List;

/** Time spans of jobs, for tests and benchmarks that check how many ran at once. */
public final class Spans {

    private Spans() {
    }

    /** The most spans {@code [start, end]} (epoch millis) that overlap at one moment; an end before a start at the same instant. */
    public static int peakOverlap(List<long[]> spans) {
        List<long[]> edges = new ArrayList<>();
        spans.forEach(s -> {
            edges.add(new long[] {s[0], 1});
            edges.add(new long[] {s[1], -1});
        });
        edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int now = 0;
        int peak = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            peak = Math.max(peak, now);
        }
        return peak;
    }
}
