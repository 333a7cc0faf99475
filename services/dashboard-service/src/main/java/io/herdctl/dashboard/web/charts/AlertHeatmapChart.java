package io.herdctl.dashboard.web.charts;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.herdctl.events.Severity;

/**
 * Audit alerts by rule over time, as a heatmap: one row per rule (its severity, id and total), one column per day.
 * A cell's shade class runs from {@code heat-0} (no alert) to {@code heat-4} (the busiest cell of the chart), in
 * quarters of that maximum; its tooltip gives the exact count.
 */
public final class AlertHeatmapChart {

    /** One rule: its id, its severity and its alert count for each day of the chart, in the chart's day order. */
    public record Rule(String ruleId, Severity severity, List<Long> countsPerDay) {
        public Rule {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(severity, "severity");
            countsPerDay = List.copyOf(countsPerDay); // refuses null counts
            if (countsPerDay.stream().anyMatch(n -> n < 0)) {
                throw new IllegalArgumentException("negative alert count for rule " + ruleId + ": " + countsPerDay);
            }
        }

        long total() {
            return countsPerDay.stream().mapToLong(Long::longValue).sum();
        }
    }

    static final int LEVELS = 5;
    static final double ROW = 20;
    static final double CELL = 18;
    static final double HEADER = 22;
    static final double LEGEND = 28;
    static final double LABEL_X = 64;
    static final double GRID_X = 250;
    static final double GRID_WIDTH = Svg.WIDTH - GRID_X - 8;

    private AlertHeatmapChart() {
    }

    /**
     * Renders the chart as an inline {@code <svg>} element.
     *
     * @param id    an element id unique on the page (letters, digits, '-', '_'); the title and description hang off it
     * @param days  the column labels (say {@code "11-16"}), oldest first
     * @param rules one row each, in display order; each has exactly one count per day
     */
    public static String render(String id, List<String> days, List<Rule> rules) {
        for (Rule rule : rules) {
            if (rule.countsPerDay().size() != days.size()) {
                throw new IllegalArgumentException("rule " + rule.ruleId() + " has " + rule.countsPerDay().size()
                        + " counts for " + days.size() + " days");
            }
        }
        long max = rules.stream().flatMap(r -> r.countsPerDay().stream()).mapToLong(Long::longValue).max().orElse(0);
        double gridBottom = HEADER + Math.max(1, rules.size()) * ROW;
        Svg svg = Svg.open(id, "chart-alerts", gridBottom + LEGEND, "Alerts by rule per day", describe(days, rules));

        double cell = days.isEmpty() ? GRID_WIDTH : GRID_WIDTH / days.size();
        int every = Svg.labelStep(cell, days.stream().mapToInt(String::length).max().orElse(0));
        for (int d = 0; d < days.size(); d += every) {
            svg.text("label day", GRID_X + d * cell + cell / 2, HEADER / 2, "middle", days.get(d));
        }
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            double top = HEADER + r * ROW;
            double mid = top + ROW / 2;
            String sev = rule.severity().wire();
            svg.text("sev sev-" + sev, 4, mid, "start", sev)
                    .text("label rule", LABEL_X, mid, "start", Svg.shorten(rule.ruleId(), 20) + " (" + rule.total() + ")",
                            rule.ruleId() + " (" + sev + "): " + Svg.plural(rule.total(), "alert", "alerts") + " in total");
            for (int d = 0; d < days.size(); d++) {
                long n = rule.countsPerDay().get(d);
                svg.rect("cell heat-" + level(n, max), GRID_X + d * cell + 0.5, top + (ROW - CELL) / 2, cell - 1, CELL,
                        rule.ruleId() + ", " + days.get(d) + ": " + Svg.plural(n, "alert", "alerts"));
            }
        }
        if (max == 0) {
            svg.text("empty", GRID_X + GRID_WIDTH / 2, (HEADER + gridBottom) / 2, "middle", "no data");
        } else {
            double y = gridBottom + 8;
            svg.text("label legend", GRID_X - 6, y + 5, "end", "0");
            for (int level = 0; level < LEVELS; level++) {
                svg.rect("swatch heat-" + level, GRID_X + level * 14, y, 12, 10, null);
            }
            svg.text("label legend", GRID_X + LEVELS * 14 + 4, y + 5, "start", Long.toString(max));
        }
        return svg.close();
    }

    /** 0 for no alert, else 1 to 4 by quarters of the maximum (rounded up, so any alert shows). */
    static int level(long count, long max) {
        return count <= 0 || max <= 0 ? 0 : (int) Math.min(LEVELS - 1, ((LEVELS - 1) * count + max - 1) / max);
    }

    private static String describe(List<String> days, List<Rule> rules) {
        long total = rules.stream().mapToLong(Rule::total).sum();
        if (days.isEmpty()) {
            return "No days to show.";
        }
        String span = days.size() == 1 ? days.get(0) : days.get(0) + " to " + days.get(days.size() - 1);
        if (total == 0) {
            return "No alerts from " + span + ".";
        }
        Rule top = rules.stream().max(Comparator.comparingLong(Rule::total)).orElseThrow();
        return Svg.plural(total, "alert", "alerts") + " from " + span + " across "
                + Svg.plural(rules.size(), "rule", "rules") + ". Most frequent: " + top.ruleId() + " ("
                + top.severity().wire() + "), " + Svg.plural(top.total(), "alert", "alerts") + ".";
    }
}
