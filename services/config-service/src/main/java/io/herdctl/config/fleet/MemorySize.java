package io.herdctl.config.fleet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** herdctl's docker memory strings: a number (decimals allowed) and k/m/g/t (powers of 1024) or b. */
final class MemorySize {

    static final Pattern FORMAT = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([kmgtb]?)$", Pattern.CASE_INSENSITIVE);
    static final String MESSAGE = "Invalid memory format. Use format like \"2g\", \"512m\", \"1024k\", or \"2048\" (bytes).";

    private MemorySize() {
    }

    /** Bytes, rounded down; -1 when the text is not a memory size. */
    static long parseBytes(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return -1;
        }
        int power = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power))
                .setScale(0, RoundingMode.FLOOR);
        return bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? -1 : bytes.longValue();
    }
}
