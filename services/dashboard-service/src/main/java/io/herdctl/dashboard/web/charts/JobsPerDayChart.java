package io.herdctl.dashboard.web.charts;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.herdctl.events.JobStatus;

/**
 * Jobs per day as stacked vertical bars, one segment per status, with a count axis on "nice" ticks and a legend of
 * the statuses that occur. Segments stack in a fixed order (completed at the bottom, then failed, cancelled, running,
 * pending) whatever the order of each day's map, so that the same colour sits at the same height from day to day.
 */
public final class JobsPerDayChart {

    /** One day: its axis label (say {@code "11-16"}) and its job count per status; absent statuses count 0. */
    public record Day(String label, Map<JobStatus, Long> counts) {
        public Day {
            Objects.requireNonNull(label, "label");
            counts = counts == null ? Map.of() : Map.copyOf(counts); // refuses null statuses and counts
            counts.forEach((status, count) -> {
                if (count < 0) {
                    throw new IllegalArgumentException("negative count for " + status + " on " + label + ": " + count);
                }
            });
        }

        long count(JobStatus status) {
            return counts.getOrDefault(status, 0L);
        }

        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static final List<JobStatus> STACK_ORDER = List.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED,
            JobStatus.RUNNING, JobStatus.PENDING);

    static final double HEIGHT = 260;
    static final double LEFT = 48;
    static final double RIGHT = 12;
    static final double TOP = 12;
    static final double PLOT_BOTTOM = HEIGHT - 48;
    static final double PLOT_HEIGHT = PLOT_BOTTOM - TOP;
    static final double PLOT_WIDTH = Svg.WIDTH - LEFT - RIGHT;

    private JobsPerDayChart() {
    }

    /**
     * Renders the chart as an inline {@code <svg>} element.
     *
     * @param id   an element id unique on the page (letters, digits, '-', '_'); the title and description hang off it
     * @param days the days in display order, oldest first
     */
    public static String render(String id, List<Day> days) {
        Map<JobStatus, Long> totals = new EnumMap<>(JobStatus.class);
        long max = 0;
        for (Day day : days) {
            day.counts().forEach((s, n) -> totals.merge(s, n, Long::sum));
            max = Math.max(max, day.total());
        }
        Svg svg = Svg.open(id, "chart-jobs-per-day", HEIGHT, "Jobs per day by status", describe(days, totals, max));

        Ticks ticks = Ticks.forMax(max);
        for (long v : ticks.values()) {
            double y = PLOT_BOTTOM - PLOT_HEIGHT * v / ticks.top();
            svg.line(v == 0 ? "axis" : "grid", LEFT, y, LEFT + PLOT_WIDTH, y)
                    .text("label tick", LEFT - 6, y, "end", Long.toString(v));
        }
        svg.line("axis", LEFT, TOP, LEFT, PLOT_BOTTOM);

        if (!days.isEmpty()) {
            double slot = PLOT_WIDTH / days.size();
            int every = Svg.labelStep(slot, days.stream().mapToInt(d -> d.label().length()).max().orElse(0));
            for (int i = 0; i < days.size(); i++) {
                Day day = days.get(i);
                double x = LEFT + i * slot;
                double y = PLOT_BOTTOM;
                for (JobStatus status : STACK_ORDER) {
                    long n = day.count(status);
                    if (n > 0) {
                        double h = PLOT_HEIGHT * n / ticks.top();
                        y -= h;
                        svg.rect("bar " + cls(status), x + slot * 0.15, y, slot * 0.7, h,
                                day.label() + ": " + Svg.plural(n, "job", "jobs") + " " + status.wire());
                    }
                }
                if (i % every == 0) {
                    svg.text("label day", x + slot / 2, PLOT_BOTTOM + 12, "middle", day.label());
                }
            }
        }
        if (max == 0) {
            svg.text("empty", LEFT + PLOT_WIDTH / 2, TOP + PLOT_HEIGHT / 2, "middle", "no data");
        }

        double x = LEFT;
        for (JobStatus status : STACK_ORDER) {
            if (totals.getOrDefault(status, 0L) > 0) {
                svg.rect("swatch " + cls(status), x, HEIGHT - 17, 10, 10, null)
                        .text("label legend", x + 14, HEIGHT - 12, "start", status.wire());
                x += 24 + status.wire().length() * 6.5;
            }
        }
        return svg.close();
    }

    static String cls(JobStatus status) {
        return "s-" + status.wire();
    }

    private static String describe(List<Day> days, Map<JobStatus, Long> totals, long max) {
        if (max == 0) {
            return days.isEmpty() ? "No days to show." : "No jobs from " + span(days) + ".";
        }
        long all = totals.values().stream().mapToLong(Long::longValue).sum();
        String breakdown = STACK_ORDER.stream().filter(s -> totals.getOrDefault(s, 0L) > 0)
                .map(s -> totals.get(s) + " " + s.wire()).collect(Collectors.joining(", "));
        Day busiest = days.stream().filter(d -> d.total() == max).findFirst().orElseThrow();
        return Svg.plural(all, "job", "jobs") + " from " + span(days) + ": " + breakdown + ". Busiest day "
                + busiest.label() + " with " + Svg.plural(max, "job", "jobs") + ".";
    }

    private static String span(List<Day> days) {
        return days.size() == 1 ? days.get(0).label() : days.get(0).label() + " to " + days.get(days.size() - 1).label();
    }
}
