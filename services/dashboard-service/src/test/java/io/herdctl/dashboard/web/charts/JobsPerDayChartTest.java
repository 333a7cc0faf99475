package io.herdctl.dashboard.web.charts;

import static io.herdctl.dashboard.web.charts.JobsPerDayChart.PLOT_BOTTOM;
import static io.herdctl.dashboard.web.charts.JobsPerDayChart.PLOT_HEIGHT;
import static io.herdctl.events.JobStatus.CANCELLED;
import static io.herdctl.events.JobStatus.COMPLETED;
import static io.herdctl.events.JobStatus.FAILED;
import static io.herdctl.events.JobStatus.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import io.herdctl.dashboard.web.charts.JobsPerDayChart.Day;
import io.herdctl.events.JobStatus;

class JobsPerDayChartTest {

    private static final String TITLE = "Jobs per day by status";

    private static final List<Day> WEEK = List.of(
            new Day("11-14", Map.of(COMPLETED, 6L, FAILED, 1L)),
            new Day("11-15", Map.of()),
            new Day("11-16", ordered(FAILED, 2L, COMPLETED, 3L, RUNNING, 1L, CANCELLED, 0L)));

    @Test
    void oneSegmentPerNonZeroStatusWithHeightsOnTheTickScale() {
        ChartXml chart = ChartXml.parseChart(JobsPerDayChart.render("jobs", WEEK), TITLE);

        List<Element> bars = chart.withClass("bar");
        assertEquals(5, bars.size());
        assertEquals(List.of("0", "2", "4", "6", "8"), chart.texts("tick"), "max 7 jobs a day: axis to 8 by 2");
        double unit = PLOT_HEIGHT / 8;
        long[] counts = {6, 1, 3, 2, 1};
        for (int i = 0; i < counts.length; i++) {
            assertEquals(counts[i] * unit, ChartXml.num(bars.get(i), "height"), 0.011, "bar " + i);
        }
        assertEquals(List.of("11-14: 6 jobs completed", "11-14: 1 job failed", "11-16: 3 jobs completed",
                "11-16: 2 jobs failed", "11-16: 1 job running"), bars.stream().map(ChartXml::tooltip).toList());
    }

    @Test
    void segmentsStackInStatusOrderWhateverTheMapOrder() {
        ChartXml chart = ChartXml.parseChart(JobsPerDayChart.render("jobs", WEEK), TITLE);
        List<Element> lastDay = chart.withClass("bar").subList(2, 5);
        assertEquals(List.of("bar s-completed", "bar s-failed", "bar s-running"),
                lastDay.stream().map(e -> e.getAttribute("class")).toList());
        double bottom = PLOT_BOTTOM;
        for (Element bar : lastDay) {
            double y = ChartXml.num(bar, "y");
            assertEquals(bottom, y + ChartXml.num(bar, "height"), 0.011, "each segment sits on the one below");
            bottom = y;
        }
        assertEquals(List.of("completed", "failed", "running"), chart.texts("legend"), "statuses that occur");
        assertEquals(List.of("swatch s-completed", "swatch s-failed", "swatch s-running"),
                chart.withClass("swatch").stream().map(e -> e.getAttribute("class")).toList());
        assertEquals(List.of("11-14", "11-15", "11-16"), chart.texts("day"));
        assertEquals("13 jobs from 11-14 to 11-16: 9 completed, 3 failed, 1 running. Busiest day 11-14 with 7 jobs.",
                chart.all("desc").get(0).getTextContent());
    }

    @Test
    void dayLabelsAreThinnedWhenTheyWouldOverlap() {
        List<Day> days = new ArrayList<>();
        for (int d = 1; d <= 90; d++) {
            days.add(new Day(String.format(Locale.ROOT, "d-%02d", d), Map.of(COMPLETED, (long) d)));
        }
        ChartXml chart = ChartXml.parseChart(JobsPerDayChart.render("jobs", days), TITLE);
        assertEquals(90, chart.withClass("bar").size());
        List<String> labels = chart.texts("day");
        assertEquals("d-01", labels.get(0));
        assertTrue(labels.size() < 30, "labels: " + labels.size());
        assertEquals(List.of("0", "20", "40", "60", "80", "100"), chart.texts("tick"));
    }

    @Test
    void noDaysOrOnlyZerosDrawAnEmptyAxisSayingNoData() {
        for (List<Day> days : List.of(List.<Day>of(), List.of(new Day("11-16", Map.of(FAILED, 0L))))) {
            ChartXml chart = ChartXml.parseChart(JobsPerDayChart.render("jobs", days), TITLE);
            assertEquals(List.of("no data"), chart.texts("empty"));
            assertTrue(chart.withClass("bar").isEmpty() && chart.withClass("swatch").isEmpty());
            assertEquals(List.of("0", "1"), chart.texts("tick"));
        }
    }

    @Test
    void userTextIsEscapedAndNeverBecomesMarkup() {
        String evil = "<script>alert(1)</script>\"onload=alert(2) x='&amp;";
        String svg = JobsPerDayChart.render("jobs", List.of(new Day(evil, Map.of(FAILED, 1L))));
        ChartXml chart = ChartXml.parseChart(svg, TITLE);
        assertFalse(svg.contains("<script") || svg.contains("\"onload"), svg);
        assertEquals(List.of(evil), chart.texts("day"), "shown as typed");
        assertEquals(evil + ": 1 job failed", ChartXml.tooltip(chart.withClass("bar").get(0)));
    }

    @Test
    void theSameInputGivesTheSameBytesInAnyDefaultLocale() {
        String plain = JobsPerDayChart.render("jobs", WEEK);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals(plain, JobsPerDayChart.render("jobs", WEEK));
        } finally {
            Locale.setDefault(before);
        }
        assertTrue(plain.contains("width=\"172.67\""), "decimal point, not comma");
    }

    @Test
    void negativeCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Day("11-16", Map.of(COMPLETED, -1L)));
    }

    private static Map<JobStatus, Long> ordered(Object... pairs) {
        Map<JobStatus, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((JobStatus) pairs[i], (Long) pairs[i + 1]);
        }
        return map;
    }
}
