package io.herdctl.dashboard.web.charts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Writes the SVG markup of one chart. Every text and attribute value goes through {@link #escape}, and every number
 * through {@link #num}, so that labels from user configuration cannot inject markup and the output never holds NaN,
 * an exponent or a locale's decimal comma. Styling is left to CSS classes: the dashboard's CSP forbids inline style.
 */
final class Svg {

    static final double WIDTH = 800;
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private final StringBuilder out = new StringBuilder(4096);

    private Svg() {
    }

    /** Opens the root element; the title and description name the chart for screen readers. */
    static Svg open(String id, String cssClass, double height, String title, String desc) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("chart id must match " + ID.pattern() + ": " + id);
        }
        Svg svg = new Svg();
        svg.out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(num(WIDTH)).append(' ')
                .append(num(height)).append("\" class=\"chart ").append(escape(cssClass))
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-title ").append(id)
                .append("-desc\"><title id=\"").append(id).append("-title\">").append(escape(title))
                .append("</title><desc id=\"").append(id).append("-desc\">").append(escape(desc)).append("</desc>");
        return svg;
    }

    /** A rectangle; with a tooltip it carries a {@code <title>} child, which browsers show on hover. */
    Svg rect(String cssClass, double x, double y, double w, double h, String tooltip) {
        out.append("<rect class=\"").append(escape(cssClass)).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" width=\"").append(num(Math.max(0, w))).append("\" height=\"")
                .append(num(Math.max(0, h))).append('"');
        return tooltip == null ? close("/>") : close("><title>" + escape(tooltip) + "</title></rect>");
    }

    Svg line(String cssClass, double x1, double y1, double x2, double y2) {
        out.append("<line class=\"").append(escape(cssClass)).append("\" x1=\"").append(num(x1)).append("\" y1=\"")
                .append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2)).append('"');
        return close("/>");
    }

    /** Text anchored at {@code anchor} (start, middle or end) and centred vertically on {@code y}. */
    Svg text(String cssClass, double x, double y, String anchor, String content) {
        return text(cssClass, x, y, anchor, content, null);
    }

    /** As {@link #text(String, double, double, String, String)}, with a tooltip for a shortened label. */
    Svg text(String cssClass, double x, double y, String anchor, String content, String tooltip) {
        out.append("<text class=\"").append(escape(cssClass)).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" dy=\"0.35em\" text-anchor=\"").append(anchor).append("\">");
        if (tooltip != null) {
            out.append("<title>").append(escape(tooltip)).append("</title>");
        }
        out.append(escape(content));
        return close("</text>");
    }

    String close() {
        return out.append("</svg>").toString();
    }

    private Svg close(String tail) {
        out.append(tail);
        return this;
    }

    /**
     * Escapes text for element content and quoted attributes alike. Characters XML 1.0 cannot carry at all (most
     * control characters, unpaired surrogates) become U+FFFD, so the document always parses.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    boolean legal = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    b.appendCodePoint(legal ? c : 0xFFFD);
                }
            }
        }
        return b.toString();
    }

    /** A coordinate: at most two decimals, no trailing zeros, no exponent, never "-0". */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalStateException("not a finite coordinate: " + v); // a bug in a chart's arithmetic
        }
        return decimal(v, 2);
    }

    /** {@code v} rounded half-up to at most {@code decimals} places, in plain notation; "0", never "-0". */
    static String decimal(double v, int decimals) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    /** Shortens a label to {@code max} characters with an ellipsis; callers put the full text in a tooltip. */
    static String shorten(String s, int max) {
        String t = s == null ? "" : s;
        return t.codePointCount(0, t.length()) <= max ? t : t.substring(0, t.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** Keeps the first of every {@code step} labels so that labels of about {@code chars} characters never overlap. */
    static int labelStep(double slotWidth, int chars) {
        double needed = chars * 6.5 + 8;
        return Math.max(1, (int) Math.ceil(needed / slotWidth));
    }

    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
