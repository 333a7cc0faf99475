package io.herdctl.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** audit-service's statistics turned into the overview's three charts. */
class ChartsTest {

    static final String STATS = """
            {"days":["2026-11-27","2026-11-28","2026-11-29"],
             "jobsPerDay":[{"day":"2026-11-27","counts":{"completed":2,"failed":1,"cancelled":0,"running":0,"pending":0}},
                           {"day":"2026-11-28","counts":{"completed":0,"failed":0,"cancelled":0,"running":0,"pending":0}},
                           {"day":"2026-11-29","counts":{"completed":4,"failed":0,"cancelled":1,"running":1,"pending":0,
                                                         "exploded":3}}],
             "agents":[{"agent":"reviewer","jobs":7,"finished":6,"durationP50Seconds":65,"durationP95Seconds":300,
                        "durationMaxSeconds":310,"costUsd":0.0312},
                       {"agent":"idle-one","jobs":1,"finished":0,"durationP50Seconds":null,"durationP95Seconds":null,
                        "durationMaxSeconds":null,"costUsd":0}],
             "alertsPerDay":[{"day":"2026-11-27","counts":{"permission-denied":2}},
                             {"day":"2026-11-28","counts":{"permission-denied":0}},
                             {"day":"2026-11-29","counts":{"permission-denied":5}}],
             "rules":[{"ruleId":"permission-denied","severity":"medium","total":7}]}
            """;

    @Test
    void drawsTheThreeChartsFromTheStatistics() throws Exception {
        Charts.Set set = Charts.of(new ObjectMapper().readTree(STATS));
        assertNull(set.error());
        assertTrue(set.jobsPerDay().contains("11-29"), "days are shown as month-day");
        assertEquals(5, count(set.jobsPerDay(), "class=\"bar s-"), "one segment per non-zero status and day; a status"
                + " this dashboard does not know is left out");
        assertTrue(set.agents().contains("reviewer") && set.agents().contains("idle-one"), set.agents());
        assertTrue(set.agents().contains("$0.0312"), set.agents());
        assertEquals(3, count(set.alertsByRule(), "class=\"cell"), "one cell per rule and day");
        assertTrue(set.alertsByRule().contains("permission-denied"), set.alertsByRule());
    }

    @Test
    void anEmptyWindowStillDraws() throws Exception {
        Charts.Set set = Charts.of(new ObjectMapper().readTree(
                "{\"days\":[],\"jobsPerDay\":[],\"agents\":[],\"alertsPerDay\":[],\"rules\":[]}"));
        assertTrue(set.jobsPerDay().startsWith("<svg"), set.jobsPerDay());
        assertTrue(set.alertsByRule().startsWith("<svg"), set.alertsByRule());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
