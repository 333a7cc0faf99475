package io.herdctl.dashboard.web.charts;

import static io.herdctl.events.Severity.CRITICAL;
import static io.herdctl.events.Severity.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import io.herdctl.dashboard.web.charts.AlertHeatmapChart.Rule;

class AlertHeatmapChartTest {

    private static final String TITLE = "Alerts by rule per day";
    private static final List<String> DAYS = List.of("11-14", "11-15", "11-16");
    private static final List<Rule> RULES = List.of(
            new Rule("secret-in-output", CRITICAL, List.of(0L, 1L, 4L)),
            new Rule("shell-curl", LOW, List.of(2L, 8L, 3L)));

    @Test
    void oneCellPerRuleAndDayShadedByQuartersOfTheMaximum() {
        ChartXml chart = ChartXml.parseChart(AlertHeatmapChart.render("alerts", DAYS, RULES), TITLE);

        List<Element> cells = chart.withClass("cell");
        assertEquals(6, cells.size());
        assertEquals(List.of("cell heat-0", "cell heat-1", "cell heat-2", "cell heat-1", "cell heat-4", "cell heat-2"),
                cells.stream().map(e -> e.getAttribute("class")).toList());
        assertEquals(List.of("secret-in-output, 11-14: 0 alerts", "secret-in-output, 11-15: 1 alert",
                "secret-in-output, 11-16: 4 alerts", "shell-curl, 11-14: 2 alerts", "shell-curl, 11-15: 8 alerts",
                "shell-curl, 11-16: 3 alerts"), cells.stream().map(ChartXml::tooltip).toList());

        double width = ChartXml.num(cells.get(0), "width");
        assertEquals(AlertHeatmapChart.GRID_WIDTH / 3 - 1, width, 0.006);
        assertEquals(ChartXml.num(cells.get(0), "x") + width + 1, ChartXml.num(cells.get(1), "x"), 0.011);
        assertEquals(ChartXml.num(cells.get(0), "y") + AlertHeatmapChart.ROW, ChartXml.num(cells.get(3), "y"));

        assertEquals(List.of("secret-in-output (5)", "shell-curl (13)"), chart.texts("rule"));
        assertEquals("shell-curl (low): 13 alerts in total", ChartXml.tooltip(chart.withClass("rule").get(1)));
        assertEquals(List.of("critical", "low"), chart.texts("sev"));
        assertEquals(List.of("sev sev-critical", "sev sev-low"),
                chart.withClass("sev").stream().map(e -> e.getAttribute("class")).toList());
        assertEquals(DAYS, chart.texts("day"));
        assertEquals(List.of("0", "8"), chart.texts("legend"));
        assertEquals(5, chart.withClass("swatch").size());
        assertEquals("18 alerts from 11-14 to 11-16 across 2 rules. Most frequent: shell-curl (low), 13 alerts.",
                chart.all("desc").get(0).getTextContent());
    }

    @Test
    void levelsRoundUpSoThatAnyAlertShows() {
        assertEquals(0, AlertHeatmapChart.level(0, 8));
        assertEquals(1, AlertHeatmapChart.level(1, 8));
        assertEquals(1, AlertHeatmapChart.level(2, 8));
        assertEquals(2, AlertHeatmapChart.level(3, 8));
        assertEquals(3, AlertHeatmapChart.level(6, 8));
        assertEquals(4, AlertHeatmapChart.level(7, 8));
        assertEquals(4, AlertHeatmapChart.level(8, 8));
        assertEquals(1, AlertHeatmapChart.level(1, 1_000_000));
        assertEquals(4, AlertHeatmapChart.level(1, 1));
        assertEquals(0, AlertHeatmapChart.level(0, 0));
    }

    @Test
    void aMonthOfColumnsThinsTheDayLabels() {
        List<String> days = IntStream.rangeClosed(1, 30).mapToObj(d -> "11-" + (d < 10 ? "0" : "") + d)
                .toList();
        ChartXml chart = ChartXml.parseChart(AlertHeatmapChart.render("alerts", days,
                List.of(new Rule("r", LOW, Collections.nCopies(30, 1L)))), TITLE);
        assertEquals(30, chart.withClass("cell").size());
        assertEquals(List.of("11-01", "11-04", "11-07", "11-10", "11-13", "11-16", "11-19", "11-22", "11-25", "11-28"),
                chart.texts("day"));
    }

    @Test
    void noRulesNoDaysOrNoAlertsSayNoData() {
        ChartXml none = ChartXml.parseChart(AlertHeatmapChart.render("alerts", List.of(), List.of()), TITLE);
        assertEquals(List.of("no data"), none.texts("empty"));
        assertTrue(none.withClass("cell").isEmpty());

        ChartXml zeros = ChartXml.parseChart(AlertHeatmapChart.render("alerts", DAYS,
                List.of(new Rule("quiet", LOW, List.of(0L, 0L, 0L)))), TITLE);
        assertEquals(List.of("no data"), zeros.texts("empty"));
        assertEquals(3, zeros.withClass("cell", "heat-0").size());
        assertEquals(List.of("quiet (0)"), zeros.texts("rule"));
        assertEquals("No alerts from 11-14 to 11-16.", zeros.all("desc").get(0).getTextContent());
    }

    @Test
    void userTextIsEscapedAndNeverBecomesMarkup() {
        String evil = "<script>alert(1)</script>\"onload=alert(2) x='";
        String svg = AlertHeatmapChart.render("alerts", List.of(evil), List.of(new Rule(evil, CRITICAL, List.of(1L))));
        ChartXml chart = ChartXml.parseChart(svg, TITLE);
        assertFalse(svg.contains("<script") || svg.contains("\"onload"), svg);
        assertEquals(evil + ", " + evil + ": 1 alert", ChartXml.tooltip(chart.withClass("cell").get(0)));
        assertEquals(evil + " (critical): 1 alert in total", ChartXml.tooltip(chart.withClass("rule").get(0)));
        assertEquals(List.of(evil), chart.texts("day"));
    }

    @Test
    void countsMustMatchTheDays() {
        assertThrows(IllegalArgumentException.class,
                () -> AlertHeatmapChart.render("alerts", DAYS, List.of(new Rule("r", LOW, List.of(1L)))));
        assertThrows(IllegalArgumentException.class, () -> new Rule("r", LOW, List.of(-1L)));
    }
}
