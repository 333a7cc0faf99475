package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobLogLineTest {

    private static final String T = "\"timestamp\":\"2026-03-05T01:00:00Z\"";

    @Test
    void toolResultWithoutSuccessFlagFailsOnlyWithAnError() {
        assertEquals("[2026-03-05T01:00:00Z] [TOOL_RESULT] (OK) done",
                JobLogLine.render("{\"type\":\"tool_result\",\"result\":\"done\"," + T + "}"));
        assertEquals("[2026-03-05T01:00:00Z] [TOOL_RESULT] (FAILED) denied",
                JobLogLine.render("{\"type\":\"tool_result\",\"error\":\"denied\"," + T + "}"));
        assertEquals("[2026-03-05T01:00:00Z] [TOOL_RESULT] (FAILED) {\"code\":2}",
                JobLogLine.render("{\"type\":\"tool_result\",\"success\":false,\"result\":{\"code\":2}," + T + "}"));
    }

    @Test
    void systemLineWithoutContentShowsItsSubtype() {
        assertEquals("[2026-03-05T01:00:00Z] [SYSTEM] init",
                JobLogLine.render("{\"type\":\"system\",\"subtype\":\"init\"," + T + "}"));
    }

    @Test
    void toolUseWithoutInputShowsTheName() {
        assertEquals("[2026-03-05T01:00:00Z] [TOOL] Read",
                JobLogLine.render("{\"type\":\"tool_use\",\"tool_name\":\"Read\"," + T + "}"));
    }

    @Test
    void multiLineAssistantTextIsKeptAndControlCharactersAreNot() {
        assertEquals("[2026-03-05T01:00:00Z] [ASSISTANT] first\nsecond \uFFFD[31mred",
                JobLogLine.render("{\"type\":\"assistant\",\"content\":\"first\\nsecond \\u001b[31mred\"," + T + "}"));
    }

    @Test
    void otherTypesAndNonJsonLinesAreShownAsTheyAre() {
        assertEquals("[RESULT] {\"type\":\"result\",\"x\":1}", JobLogLine.render("{\"type\":\"result\",\"x\":1}"));
        assertEquals("not json at all", JobLogLine.render("not json at all"));
    }
}
