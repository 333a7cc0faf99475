package io.herdctl.launcher;

import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of a job's JSONL log rendered the way herdctl writes
 * {@code output.log}: {@code [timestamp] [ASSISTANT] text},
 * {@code [timestamp] [TOOL] name {input}},
 * {@code [timestamp] [TOOL_RESULT] (OK|FAILED) result},
 * {@code [timestamp] [SYSTEM] text} and {@code [timestamp] [ERROR] message}.
 * A line of another type is shown with its type and its JSON; a line that is
 * not JSON is shown as it is.
 */
final class JobLogLine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobLogLine() {
    }

    static String render(String jsonl) {
        JsonNode line;
        try {
            line = JSON.readTree(jsonl);
        } catch (JsonProcessingException e) {
            return TextTable.clean(jsonl);
        }
        if (line == null || !line.isObject()) {
            return TextTable.clean(jsonl);
        }
        String type = line.path("type").asText("");
        String stamp = line.path("timestamp").isTextual() ? "[" + line.path("timestamp").asText() + "] " : "";
        return TextTable.clean(stamp + switch (type) {
            case "assistant" -> "[ASSISTANT] " + text(line.path("content"));
            case "tool_use" -> "[TOOL] " + line.path("tool_name").asText("?") + input(line.path("input"));
            case "tool_result" -> "[TOOL_RESULT] " + result(line);
            case "system" -> "[SYSTEM] " + system(line);
            case "error" -> "[ERROR] " + text(line.path("message"));
            default -> "[" + (type.isEmpty() ? "?" : type.toUpperCase(Locale.ROOT)) + "] " + line;
        });
    }

    private static String input(JsonNode input) {
        return input.isMissingNode() || input.isNull() ? "" : " " + input;
    }

    private static String result(JsonNode line) {
        boolean failed = line.path("success").isBoolean() ? !line.path("success").asBoolean()
                : hasValue(line.path("error"));
        if (failed) {
            return "(FAILED) " + text(hasValue(line.path("error")) ? line.path("error") : line.path("result"));
        }
        return "(OK) " + text(line.path("result"));
    }

    private static String system(JsonNode line) {
        return hasValue(line.path("content")) ? text(line.path("content")) : text(line.path("subtype"));
    }

    /** A text field as its text, any other value as its JSON, a missing one as nothing. */
    static String text(JsonNode value) {
        if (!hasValue(value)) {
            return "";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static boolean hasValue(JsonNode value) {
        return !value.isMissingNode() && !value.isNull();
    }
}
