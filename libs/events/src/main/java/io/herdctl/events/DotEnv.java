package io.herdctl.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a fleet's {@code .env} file: {@code KEY=value} lines, optional
 * {@code export}, single or double quotes, {@code #} comments. Shared because
 * config-service (interpolation) and the runner (container env) must read the
 * same file the same way. Values are secrets: never log them.
 */
public final class DotEnv {

    private DotEnv() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String rawLine : text.split("\\R")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            out.put(key, unquote(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            char last = value.charAt(value.length() - 1);
            if ((first == '"' || first == '\'') && last == first) {
                String inner = value.substring(1, value.length() - 1);
                return first == '"' ? inner.replace("\\n", "\n").replace("\\\"", "\"") : inner;
            }
        }
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }
}
