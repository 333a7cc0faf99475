package io.herdctl.dashboard.web.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * A count axis from 0 to {@code top} in steps of 1, 2 or 5 × 10ⁿ: the smallest such step that needs at most five
 * intervals to reach the maximum. Counts are whole, so the step is never below 1, and an empty axis still runs 0–1.
 */
record Ticks(long step, long top) {

    static final int MAX_INTERVALS = 5;

    static Ticks forMax(long max) {
        if (max <= 0) {
            return new Ticks(1, 1);
        }
        for (long magnitude = 1; ; magnitude *= 10) {
            for (long factor : new long[] {1, 2, 5}) {
                long step = factor * magnitude;
                if (step * MAX_INTERVALS >= max) {
                    return new Ticks(step, (max + step - 1) / step * step);
                }
            }
        }
    }

    List<Long> values() {
        List<Long> values = new ArrayList<>();
        for (long v = 0; v <= top; v += step) {
            values.add(v);
        }
        return values;
    }
}
