package io.herdctl.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The few statistics the benchmarks print: sorted samples, percentiles, the median. */
final class Stats {

    private Stats() {
    }

    static List<Long> sorted(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }

    /**
     * The sample at {@code p} percent of the sorted values (index {@code floor(p * n / 100)},
     * so p50 of an even count is the upper middle value and p95 of fewer than 20 is the largest).
     */
    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Long> s = sorted(values);
        return s.get(Math.min(s.size() - 1, (int) ((long) p * s.size() / 100)));
    }

    static long median(List<Long> values) {
        return percentile(values, 50);
    }

    static long millisSince(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1_000_000;
    }
}
