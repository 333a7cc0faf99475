package io.herdctl.runner.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.EventJson;
import io.herdctl.events.OutputStream;

/**
 * Maps Claude Code's {@code --output-format stream-json} lines to herdctl's job log
 * entries (types system, assistant, tool_use, tool_result, error), following the
 * original's mapping, plus tool calls (the original drops them). Lines that are
 * not JSON, and stderr, become system entries so nothing is lost. Long text
 * fields are cut at {@link #MAX_FIELD_CHARS} so an event stays well under the
 * broker's record size limit.
 */
public final class StreamJsonParser {

    static final int MAX_FIELD_CHARS = 64 * 1024;
    private static final ObjectMapper JSON = EventJson.mapper();

    private StreamJsonParser() {
    }

    public static ParsedLine parse(OutputStream stream, String line) {
        if (stream == OutputStream.STDERR) {
            return plain("stderr", line);
        }
        JsonNode node;
        try {
            node = line.isBlank() || line.charAt(0) != '{' ? null : JSON.readTree(line);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return plain("stdout", line);
        }
        String type = node.path("type").asText("");
        String session = text(node, "session_id");
        return switch (type) {
            case "system" -> new ParsedLine(List.of(system(node)), "init".equals(text(node, "subtype")) ? session : null, null);
            case "assistant" -> new ParsedLine(assistant(node), null, null);
            case "user" -> new ParsedLine(user(node), null, null);
            case "result" -> result(node, session);
            case "error" -> new ParsedLine(List.of(entry("error", "message",
                    cut(firstText(node.path("error").path("message"), node.path("message"), node.path("error"))))), null, null);
            case "stream_event" -> new ParsedLine(List.of(partial(node)), null, null);
            default -> new ParsedLine(List.of(entry("system", "subtype", "unknown_type", "content",
                    "Unknown message type: " + (type.isEmpty() ? "(none)" : type))), null, null);
        };
    }

    private static ParsedLine plain(String subtype, String line) {
        return new ParsedLine(List.of(entry("system", "subtype", subtype, "content", cut(line))), null, null);
    }

    private static Map<String, Object> system(JsonNode node) {
        String subtype = text(node, "subtype");
        String content = text(node, "content");
        if (content == null && "init".equals(subtype)) {
            content = "Session " + text(node, "session_id") + " started"
                    + (text(node, "model") != null ? " (model " + text(node, "model") + ")" : "");
        }
        return entry("system", "subtype", subtype, "content", cut(content));
    }

    private static List<Map<String, Object>> assistant(JsonNode node) {
        JsonNode message = node.path("message");
        List<Map<String, Object>> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Map<String, Object>> tools = new ArrayList<>();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(block.path("text").asText(""));
                }
                case "tool_use" -> tools.add(entry("tool_use", "tool_name", block.path("name").asText("unknown"),
                        "tool_use_id", text(block, "id"), "input", cappedJson(block.path("input"))));
                default -> {
                    // thinking and other blocks are not part of herdctl's log
                }
            }
        }
        if (text.length() > 0 || tools.isEmpty()) {
            Map<String, Object> a = entry("assistant", "content", cut(text.toString()));
            JsonNode usage = message.path("usage");
            if (usage.isObject()) {
                long input = usage.path("input_tokens").asLong(0) + usage.path("cache_creation_input_tokens").asLong(0)
                        + usage.path("cache_read_input_tokens").asLong(0);
                a.put("usage", Map.of("input_tokens", input, "output_tokens", usage.path("output_tokens").asLong(0)));
            }
            out.add(a);
        }
        out.addAll(tools);
        return out;
    }

    private static List<Map<String, Object>> user(JsonNode node) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode block : node.path("message").path("content")) {
            if ("tool_result".equals(block.path("type").asText())) {
                boolean isError = block.path("is_error").asBoolean(false);
                String content = contentText(block.path("content"));
                out.add(isError
                        ? entry("tool_result", "tool_use_id", text(block, "tool_use_id"), "success", false, "error", cut(content))
                        : entry("tool_result", "tool_use_id", text(block, "tool_use_id"), "success", true, "result", cut(content)));
            }
        }
        if (out.isEmpty()) {
            out.add(entry("system", "subtype", "user_input", "content", cut(contentText(node.path("message").path("content")))));
        }
        return out;
    }

    private static ParsedLine result(JsonNode node, String session) {
        boolean isError = node.path("is_error").asBoolean(false) || !"success".equals(node.path("subtype").asText("success"));
        List<String> errors = new ArrayList<>();
        node.path("errors").forEach(e -> errors.add(e.isTextual() ? e.asText() : e.toString()));
        String text = text(node, "result");
        JsonNode usage = node.path("usage");
        Map<String, Map<String, Object>> models = new LinkedHashMap<>();
        node.path("modelUsage").fields().forEachRemaining(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input_tokens", e.getValue().path("inputTokens").asLong(0));
            m.put("output_tokens", e.getValue().path("outputTokens").asLong(0));
            m.put("cache_creation_input_tokens", e.getValue().path("cacheCreationInputTokens").asLong(0));
            m.put("cache_read_input_tokens", e.getValue().path("cacheReadInputTokens").asLong(0));
            if (e.getValue().has("costUSD")) {
                m.put("cost_usd", e.getValue().path("costUSD").asDouble());
            }
            models.put(e.getKey(), m);
        });
        ParsedLine.RunResult result = new ParsedLine.RunResult(isError, text(node, "subtype"), text, List.copyOf(errors),
                node.has("num_turns") ? node.path("num_turns").asInt() : null,
                node.has("total_cost_usd") ? node.path("total_cost_usd").asDouble() : null,
                longOrNull(usage, "input_tokens"), longOrNull(usage, "output_tokens"),
                longOrNull(usage, "cache_creation_input_tokens"), longOrNull(usage, "cache_read_input_tokens"), models);
        Map<String, Object> entry = isError
                ? entry("tool_result", "success", false, "error", cut(errors.isEmpty() ? text : String.join("; ", errors)))
                : entry("tool_result", "success", true, "result", cut(text));
        return new ParsedLine(List.of(entry), session, result);
    }

    private static Map<String, Object> partial(JsonNode node) {
        JsonNode delta = node.path("event").path("delta");
        return entry("assistant", "content", cut(delta.path("text").asText("")), "partial", true);
    }

    /** An entry with the given key/value pairs, leaving out null values. */
    static Map<String, Object> entry(String type, Object... keyValues) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                e.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return e;
    }

    private static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.has("text")) {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        return content.isMissingNode() || content.isNull() ? "" : content.toString();
    }

    private static Object cappedJson(JsonNode input) {
        if (input.isMissingNode()) {
            return null;
        }
        String json = input.toString();
        return json.length() > MAX_FIELD_CHARS ? cut(json) : JSON.convertValue(input, Object.class);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isTextual()) {
                return n.asText();
            }
        }
        return "error";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static Long longOrNull(JsonNode node, String field) {
        return node.has(field) ? node.path(field).asLong() : null;
    }

    static String cut(String s) {
        if (s == null || s.length() <= MAX_FIELD_CHARS) {
            return s;
        }
        return s.substring(0, MAX_FIELD_CHARS) + "… [" + (s.length() - MAX_FIELD_CHARS) + " more characters cut]";
    }
}
