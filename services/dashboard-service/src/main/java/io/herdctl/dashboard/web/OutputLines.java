package io.herdctl.dashboard.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.dashboard.web.Rows.LineRow;
import io.herdctl.events.EventJson;

/**
 * A line of a job's stored log (herdctl's JSONL entry with its timestamp) as the
 * job page shows it: a label by type (assistant text, a tool call with its input,
 * a tool result or error, an error) and the text. Rendered by the page template,
 * which escapes everything, on first load and for each line streamed live.
 */
public final class OutputLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private OutputLines() {
    }

    /** The line as the job page's template renders it, for the live stream. */
    public static String html(long seq, String stored, String alert) {
        return PageResource.Templates.job$line(row(seq, stored, alert)).render();
    }

    /** {@code alert}: the alerts raised on this line, or null. A line that is not JSON is shown as it is. */
    public static LineRow row(long seq, String stored, String alert) {
        Map<String, Object> e;
        try {
            e = JSON.readValue(stored, MAP);
        } catch (Exception notJson) {
            return new LineRow(seq, "", "system", "unreadable line", stored, alert);
        }
        String type = str(e.get("type"));
        String label;
        String text;
        switch (type) {
            case "assistant" -> {
                label = "assistant";
                text = str(e.get("content"));
            }
            case "tool_use" -> {
                label = "tool call: " + str(e.get("tool_name"));
                text = e.get("input") == null ? "" : EventJson.write(e.get("input"));
            }
            case "tool_result" -> {
                boolean ok = !Boolean.FALSE.equals(e.get("success"));
                label = ok ? "tool result" : "tool error";
                text = str(ok ? e.get("result") : e.get("error"));
                type = ok ? type : "error";
            }
            case "error" -> {
                label = e.get("code") != null ? "error " + e.get("code") : "error";
                text = str(e.get("message"));
            }
            default -> {
                label = (type.isEmpty() ? "line" : type) + (e.get("subtype") != null ? " / " + e.get("subtype") : "");
                text = str(e.get("content"));
                type = "system";
            }
        }
        return new LineRow(seq, time(e.get("timestamp")), type, label, text, alert);
    }

    private static String time(Object timestamp) {
        if (timestamp == null) {
            return "";
        }
        try {
            return Rows.when(Instant.parse(timestamp.toString()));
        } catch (DateTimeParseException e) {
            return timestamp.toString();
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
