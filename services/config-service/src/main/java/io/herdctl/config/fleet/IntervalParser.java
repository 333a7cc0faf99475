package io.herdctl.config.fleet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * herdctl's interval grammar: an integer and one unit (s, m, h, d, any case),
 * optional space between, e.g. {@code "5m"}, {@code "1h"}, {@code "30 s"}. Errors use
 * herdctl's messages so users recognise them; unlike herdctl we check them when
 * the config loads instead of when the schedule first fires.
 */
final class IntervalParser {

    private static final Pattern FORMAT = Pattern.compile("^(-?\\d+)\\s*([a-zA-Z]+)$");
    private static final String EXPECTED =
            "Expected format: \"{number}{unit}\" where unit is s/m/h/d (e.g., \"5m\", \"1h\")";

    private IntervalParser() {
    }

    static final class IntervalException extends IllegalArgumentException {
        IntervalException(String message) {
            super(message);
        }
    }

    static long parseMillis(String input) {
        String s = input == null ? "" : input.strip();
        if (s.isEmpty()) {
            throw new IntervalException("Interval cannot be empty. " + EXPECTED);
        }
        Matcher m = FORMAT.matcher(s);
        if (!m.matches()) {
            if (s.matches("-?\\d+")) {
                throw new IntervalException("Missing time unit in interval \"" + input + "\". " + EXPECTED);
            }
            if (s.matches("[a-zA-Z]+")) {
                throw new IntervalException("Missing numeric value in interval \"" + input + "\". " + EXPECTED);
            }
            if (s.matches("-?\\d+\\.\\d+\\s*[a-zA-Z]+")) {
                throw new IntervalException("Decimal values are not supported in interval \"" + input
                        + "\". Use integers only (e.g., \"5m\" instead of \"5.5m\")");
            }
            throw new IntervalException("Invalid interval format \"" + input + "\". " + EXPECTED);
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (value < 0) {
            throw new IntervalException("Negative intervals are not allowed: \"" + input + "\". Use a positive integer value");
        }
        if (value == 0) {
            throw new IntervalException("Zero interval is not allowed: \"" + input + "\". Use a positive integer value");
        }
        long unitMillis = switch (unit) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> throw new IntervalException("Invalid time unit \"" + m.group(2) + "\" in interval \"" + input
                    + "\". Valid units are: s (seconds), m (minutes), h (hours), d (days)");
        };
        return Math.multiplyExact(value, unitMillis);
    }
}
