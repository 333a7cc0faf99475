package io.herdctl.dashboard.web.charts;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per agent, two horizontal measures side by side: job duration (the median as a bar, the 95th percentile as a
 * marker on the same scale) and cost in USD (a bar). Each value is also written as text at the end of its bar, so
 * the chart reads without colour; a missing value (an agent with no finished job) shows as "—".
 */
public final class AgentDurationCostChart {

    /** One agent's figures; any of them may be null, none may be negative, NaN or infinite. */
    public record Row(String agent, Double p50Seconds, Double p95Seconds, Double costUsd) {
        public Row {
            Objects.requireNonNull(agent, "agent");
            check(agent, "p50Seconds", p50Seconds);
            check(agent, "p95Seconds", p95Seconds);
            check(agent, "costUsd", costUsd);
        }

        private static void check(String agent, String name, Double v) {
            if (v != null && !(Double.isFinite(v) && v >= 0)) {
                throw new IllegalArgumentException(name + " of " + agent + " must be finite and >= 0: " + v);
            }
        }
    }

    static final String MISSING = "—";
    static final double ROW = 24;
    static final double BAR = 14;
    static final double HEADER = 24;
    static final double LABEL_END = 150;
    static final double DURATION_X = 160;
    static final double DURATION_WIDTH = 230; // another 170 after it for the value text
    static final double COST_X = 575;
    static final double COST_WIDTH = 150; // another 75 after it for the value text

    private AgentDurationCostChart() {
    }

    /**
     * Renders the chart as an inline {@code <svg>} element.
     *
     * @param id   an element id unique on the page (letters, digits, '-', '_'); the title and description hang off it
     * @param rows one per agent, in display order
     */
    public static String render(String id, List<Row> rows) {
        double height = HEADER + Math.max(1, rows.size()) * ROW + 8;
        Svg svg = Svg.open(id, "chart-agents", height, "Job duration and cost by agent", describe(rows));
        if (rows.isEmpty()) {
            return svg.text("empty", Svg.WIDTH / 2, HEADER + ROW / 2, "middle", "no data").close();
        }
        double maxSeconds = Math.max(max(rows, Row::p50Seconds), max(rows, Row::p95Seconds));
        double maxCost = max(rows, Row::costUsd);
        heading(svg, DURATION_X, "Duration: p50 bar, p95 mark", maxSeconds);
        heading(svg, COST_X, "Cost (USD)", maxCost);
        svg.line("axis", DURATION_X, HEADER, DURATION_X, height - 8).line("axis", COST_X, HEADER, COST_X, height - 8);

        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double mid = HEADER + i * ROW + ROW / 2;
            svg.text("label agent", LABEL_END, mid, "end", Svg.shorten(r.agent(), 22), r.agent());

            double end = DURATION_X;
            if (r.p50Seconds() != null) {
                double w = scale(r.p50Seconds(), maxSeconds, DURATION_WIDTH);
                svg.rect("bar p50", DURATION_X, mid - BAR / 2, w, BAR,
                        r.agent() + ": p50 " + duration(r.p50Seconds()) + " (" + exact(r.p50Seconds()) + " s)");
                end = DURATION_X + w;
            }
            if (r.p95Seconds() != null) {
                double x = DURATION_X + scale(r.p95Seconds(), maxSeconds, DURATION_WIDTH);
                svg.rect("mark p95", x - 1, mid - ROW / 2 + 2, 2, ROW - 4,
                        r.agent() + ": p95 " + duration(r.p95Seconds()) + " (" + exact(r.p95Seconds()) + " s)");
                end = Math.max(end, x + 1);
            }
            svg.text("value", end + 4, mid, "start", durationText(r));

            end = COST_X;
            if (r.costUsd() != null) {
                double w = scale(r.costUsd(), maxCost, COST_WIDTH);
                svg.rect("bar cost", COST_X, mid - BAR / 2, w, BAR,
                        r.agent() + ": cost $" + exact(r.costUsd()));
                end += w;
            }
            svg.text("value", end + 4, mid, "start", r.costUsd() == null ? MISSING : usd(r.costUsd()));
        }
        return svg.close();
    }

    /** A duration as people read it: "0.8 s", "42 s", "1 min 5 s", "2 h 3 min". */
    static String duration(double seconds) {
        if (seconds < 9.95) {
            return Svg.decimal(seconds, 1) + " s";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long m = Math.round(seconds / 60);
        return m / 60 + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
    }

    /** Dollars to four decimals below $1 (agent runs are often cents), to two from there. */
    static String usd(double usd) {
        return String.format(Locale.ROOT, usd < 1 ? "$%.4f" : "$%,.2f", usd);
    }

    private static String durationText(Row r) {
        if (r.p50Seconds() == null) {
            return r.p95Seconds() == null ? MISSING : "p95 " + duration(r.p95Seconds());
        }
        return duration(r.p50Seconds()) + (r.p95Seconds() == null ? "" : " (p95 " + duration(r.p95Seconds()) + ")");
    }

    private static void heading(Svg svg, double x, String text, double max) {
        svg.text("label heading", x, HEADER / 2, "start", text);
        if (max == 0) {
            svg.text("empty", x + text.length() * 6.5 + 12, HEADER / 2, "start", "no data");
        }
    }

    private static double scale(double v, double max, double width) {
        return max == 0 ? 0 : width * v / max;
    }

    private static double max(List<Row> rows, Function<Row, Double> value) {
        return rows.stream().map(value).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(0.0);
    }

    private static String exact(double v) {
        return Svg.decimal(v, 6);
    }

    private static String describe(List<Row> rows) {
        if (rows.isEmpty()) {
            return "No agents to show.";
        }
        String text = "Duration and cost of finished jobs for " + Svg.plural(rows.size(), "agent", "agents") + ".";
        Row slowest = rows.stream().filter(r -> r.p95Seconds() != null)
                .max(Comparator.comparingDouble(Row::p95Seconds)).orElse(null);
        Row dearest = rows.stream().filter(r -> r.costUsd() != null)
                .max(Comparator.comparingDouble(Row::costUsd)).orElse(null);
        if (slowest != null) {
            text += " Slowest p95: " + slowest.agent() + ", " + duration(slowest.p95Seconds()) + ".";
        }
        if (dearest != null) {
            text += " Highest cost: " + dearest.agent() + ", " + usd(dearest.costUsd()) + ".";
        }
        return slowest == null && dearest == null ? text + " No finished jobs yet." : text;
    }
}
