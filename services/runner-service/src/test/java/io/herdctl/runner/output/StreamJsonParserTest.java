package io.herdctl.runner.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.OutputStream;

class StreamJsonParserTest {

    @Test
    void mapsClaudeMessagesToHerdctlEntries() {
        ParsedLine init = StreamJsonParser.parse(OutputStream.STDOUT,
                "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s-1\",\"model\":\"m\"}");
        assertEquals("s-1", init.sessionId());
        assertEquals(Map.of("type", "system", "subtype", "init", "content", "Session s-1 started (model m)"),
                init.entries().get(0));

        ParsedLine mixed = StreamJsonParser.parse(OutputStream.STDOUT, "{\"type\":\"assistant\",\"message\":{\"content\":["
                + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"},"
                + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}],"
                + "\"usage\":{\"input_tokens\":1,\"cache_read_input_tokens\":2,\"output_tokens\":3}}}");
        assertEquals(2, mixed.entries().size(), "text and tool call become two entries");
        assertEquals("a\nb", mixed.entries().get(0).get("content"));
        assertEquals(Map.of("input_tokens", 3L, "output_tokens", 3L), mixed.entries().get(0).get("usage"));
        assertEquals(Map.of("type", "tool_use", "tool_name", "Bash", "tool_use_id", "t1", "input", Map.of("command", "ls")),
                mixed.entries().get(1));

        ParsedLine toolError = StreamJsonParser.parse(OutputStream.STDOUT, "{\"type\":\"user\",\"message\":{\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"EACCES\",\"is_error\":true}]}}");
        assertEquals(Map.of("type", "tool_result", "tool_use_id", "t1", "success", false, "error", "EACCES"),
                toolError.entries().get(0));
    }

    @Test
    void readsTheResultMessage() {
        ParsedLine done = StreamJsonParser.parse(OutputStream.STDOUT, "{\"type\":\"result\",\"subtype\":\"success\","
                + "\"is_error\":false,\"result\":\"ok\",\"session_id\":\"s-2\",\"num_turns\":4,\"total_cost_usd\":0.5,"
                + "\"usage\":{\"input_tokens\":10,\"output_tokens\":20},"
                + "\"modelUsage\":{\"m\":{\"inputTokens\":10,\"outputTokens\":20,\"costUSD\":0.5}}}");
        assertEquals("s-2", done.sessionId());
        assertFalse(done.result().isError());
        assertEquals(4, done.result().numTurns());
        assertEquals(0.5, done.result().totalCostUsd());
        assertEquals(10L, done.result().inputTokens());
        assertEquals(20L, done.result().modelUsage().get("m").get("output_tokens"));
        assertEquals(Map.of("type", "tool_result", "success", true, "result", "ok"), done.entries().get(0));

        ParsedLine failed = StreamJsonParser.parse(OutputStream.STDOUT,
                "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,\"errors\":[\"too many\"]}");
        assertTrue(failed.result().isError());
        assertEquals(List.of("too many"), failed.result().errors());
        assertEquals("too many", failed.entries().get(0).get("error"));
    }

    @Test
    void keepsEverythingElseAsSystemEntries() {
        assertEquals(Map.of("type", "system", "subtype", "stdout", "content", "plain text"),
                StreamJsonParser.parse(OutputStream.STDOUT, "plain text").entries().get(0));
        assertEquals(Map.of("type", "system", "subtype", "stderr", "content", "{\"type\":\"result\"}"),
                StreamJsonParser.parse(OutputStream.STDERR, "{\"type\":\"result\"}").entries().get(0));
        assertEquals("Unknown message type: summary",
                StreamJsonParser.parse(OutputStream.STDOUT, "{\"type\":\"summary\"}").entries().get(0).get("content"));
        assertEquals(Map.of("type", "system", "subtype", "stdout", "content", "{broken"),
                StreamJsonParser.parse(OutputStream.STDOUT, "{broken").entries().get(0));
        assertNull(StreamJsonParser.parse(OutputStream.STDOUT, "{broken").result());
        String huge = "x".repeat(StreamJsonParser.MAX_FIELD_CHARS + 10);
        assertTrue(((String) StreamJsonParser.parse(OutputStream.STDOUT, huge).entries().get(0).get("content"))
                .endsWith("[10 more characters cut]"));
    }
}
