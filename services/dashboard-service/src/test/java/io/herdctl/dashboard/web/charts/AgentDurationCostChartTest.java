package io.herdctl.dashboard.web.charts;

import static io.herdctl.dashboard.web.charts.AgentDurationCostChart.COST_WIDTH;
import static io.herdctl.dashboard.web.charts.AgentDurationCostChart.COST_X;
import static io.herdctl.dashboard.web.charts.AgentDurationCostChart.DURATION_WIDTH;
import static io.herdctl.dashboard.web.charts.AgentDurationCostChart.DURATION_X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import io.herdctl.dashboard.web.charts.AgentDurationCostChart.Row;

class AgentDurationCostChartTest {

    private static final String TITLE = "Job duration and cost by agent";

    private static final List<Row> ROWS = List.of(
            new Row("reviewer", 65.0, 190.0, 0.0312),
            new Row("triage", 30.0, 45.5, 0.5),
            new Row("idle", null, null, null));

    @Test
    void barsAndMarksAreProportionalAndValuesAreWrittenOut() {
        ChartXml chart = ChartXml.parseChart(AgentDurationCostChart.render("agents", ROWS), TITLE);

        List<Element> p50 = chart.withClass("bar", "p50");
        List<Element> p95 = chart.withClass("mark", "p95");
        List<Element> cost = chart.withClass("bar", "cost");
        assertEquals(2, p50.size());
        assertEquals(2, p95.size());
        assertEquals(2, cost.size());

        assertEquals(DURATION_WIDTH * 65 / 190, ChartXml.num(p50.get(0), "width"), 0.006);
        assertEquals(DURATION_WIDTH * 30 / 190, ChartXml.num(p50.get(1), "width"), 0.006);
        assertEquals(DURATION_X + DURATION_WIDTH, ChartXml.num(p95.get(0), "x") + 1, 0.006, "longest p95 at the end");
        assertEquals(DURATION_X + DURATION_WIDTH * 45.5 / 190, ChartXml.num(p95.get(1), "x") + 1, 0.006);
        assertEquals(COST_WIDTH * 0.0312 / 0.5, ChartXml.num(cost.get(0), "width"), 0.006);
        assertEquals(COST_WIDTH, ChartXml.num(cost.get(1), "width"), 0.006);
        assertEquals(COST_X, ChartXml.num(cost.get(0), "x"));

        assertEquals(List.of("1 min 5 s (p95 3 min 10 s)", "$0.0312", "30 s (p95 46 s)", "$0.5000", "—", "—"),
                chart.texts("value"));
        assertEquals(List.of("reviewer: p50 1 min 5 s (65 s)", "triage: p50 30 s (30 s)"),
                p50.stream().map(ChartXml::tooltip).toList());
        assertEquals("triage: p95 46 s (45.5 s)", ChartXml.tooltip(p95.get(1)));
        assertEquals("reviewer: cost $0.0312", ChartXml.tooltip(cost.get(0)));
        assertEquals(List.of("reviewer", "triage", "idle"), chart.texts("agent"));
        assertTrue(chart.texts("empty").isEmpty());
    }

    @Test
    void durationsAndCostsReadAsPeopleWriteThem() {
        assertEquals("0 s", AgentDurationCostChart.duration(0));
        assertEquals("0.8 s", AgentDurationCostChart.duration(0.84));
        assertEquals("5 s", AgentDurationCostChart.duration(5));
        assertEquals("42 s", AgentDurationCostChart.duration(42.4));
        assertEquals("1 min", AgentDurationCostChart.duration(59.6));
        assertEquals("1 min 5 s", AgentDurationCostChart.duration(65));
        assertEquals("59 min 59 s", AgentDurationCostChart.duration(3599));
        assertEquals("1 h 2 min", AgentDurationCostChart.duration(3725));
        assertEquals("2 h", AgentDurationCostChart.duration(7200));
        assertEquals("$0.0312", AgentDurationCostChart.usd(0.0312));
        assertEquals("$0.0000", AgentDurationCostChart.usd(0));
        assertEquals("$1,234.50", AgentDurationCostChart.usd(1234.5));
    }

    @Test
    void longAgentNamesAreShortenedWithTheFullNameAsTooltip() {
        String name = "nightly-dependency-upgrade-reviewer";
        ChartXml chart = ChartXml.parseChart(AgentDurationCostChart.render("agents",
                List.of(new Row(name, 1.0, 2.0, 0.01))), TITLE);
        Element label = chart.withClass("agent").get(0);
        assertEquals("nightly-dependency-up…", ChartXml.ownText(label));
        assertEquals(name, ChartXml.tooltip(label));
    }

    @Test
    void noAgentsOrNoFiguresSayNoData() {
        ChartXml none = ChartXml.parseChart(AgentDurationCostChart.render("agents", List.of()), TITLE);
        assertEquals(List.of("no data"), none.texts("empty"));
        assertEquals("No agents to show.", none.all("desc").get(0).getTextContent());

        ChartXml zeros = ChartXml.parseChart(AgentDurationCostChart.render("agents",
                List.of(new Row("a", 0.0, 0.0, 0.0), new Row("b", null, null, null))), TITLE);
        assertEquals(List.of("no data", "no data"), zeros.texts("empty"), "one per measure");
        assertEquals(List.of("0 s (p95 0 s)", "$0.0000", "—", "—"), zeros.texts("value"));
        zeros.withClass("bar").forEach(bar -> assertEquals(0, ChartXml.num(bar, "width")));
    }

    @Test
    void userTextIsEscapedAndNeverBecomesMarkup() {
        String evil = "<script>alert(1)</script>\"onload=alert(2) x='";
        String svg = AgentDurationCostChart.render("agents", List.of(new Row(evil, 3.0, null, 0.2)));
        ChartXml chart = ChartXml.parseChart(svg, TITLE);
        assertFalse(svg.contains("<script") || svg.contains("\"onload"), svg);
        assertEquals(evil, ChartXml.tooltip(chart.withClass("agent").get(0)));
        assertEquals(evil + ": p50 3 s (3 s)", ChartXml.tooltip(chart.withClass("p50").get(0)));
        assertTrue(chart.all("desc").get(0).getTextContent().contains("Highest cost: " + evil + ", $0.2000."));
    }

    @Test
    void impossibleFiguresAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Row("a", Double.NaN, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Row("a", null, Double.POSITIVE_INFINITY, null));
        assertThrows(IllegalArgumentException.class, () -> new Row("a", null, null, -0.01));
    }
}
