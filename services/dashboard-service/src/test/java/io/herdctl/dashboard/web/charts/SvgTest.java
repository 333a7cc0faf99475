package io.herdctl.dashboard.web.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SvgTest {

    @Test
    void escapesMarkupAndReplacesWhatXmlCannotCarry() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;t&#39;&gt;&amp;amp;&lt;/a&gt;",
                Svg.escape("<a href=\"x\" title='t'>&amp;</a>"));
        assertEquals("tab\there \uFFFD \uFFFD 🐄 é", Svg.escape("tab\there \u0000 \uD800 🐄 é"));
        assertEquals("", Svg.escape(null));
    }

    @Test
    void coordinatesHaveAtMostTwoDecimalsAndNoExponentOrNegativeZero() {
        assertEquals("0", Svg.num(0));
        assertEquals("0", Svg.num(-0.001));
        assertEquals("12.5", Svg.num(12.50));
        assertEquals("1.01", Svg.num(1.005));
        assertEquals("33.33", Svg.num(100.0 / 3));
        assertEquals("10000000", Svg.num(1e7));
        assertEquals("0", Svg.num(1e-9));
        assertThrows(IllegalStateException.class, () -> Svg.num(Double.NaN));
        assertThrows(IllegalStateException.class, () -> Svg.num(Double.POSITIVE_INFINITY));
    }

    @Test
    void longLabelsAreShortenedWithAnEllipsis() {
        assertEquals("short", Svg.shorten("short", 5));
        assertEquals("abcd…", Svg.shorten("abcdef", 5));
        assertEquals("🐄🐄🐄🐄…", Svg.shorten("🐄".repeat(6), 5), "counts code points, never splits a pair");
    }

    @Test
    void anIdThatIsNotAPlainNameIsRefused() {
        for (String id : new String[] {null, "", "1x", "x\" onload=\"alert(1)", "a b"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> AlertHeatmapChart.render(id, List.of(), List.of()), String.valueOf(id));
        }
        assertTrue(AlertHeatmapChart.render("alerts_by-rule1", List.of(), List.of())
                .contains("aria-labelledby=\"alerts_by-rule1-title alerts_by-rule1-desc\""));
    }

    @Test
    void niceTicksUseOneTwoOrFiveTimesAPowerOfTen() {
        assertTicks(0, 1, 1, List.of(0L, 1L));
        assertTicks(1, 1, 1, List.of(0L, 1L));
        assertTicks(7, 2, 8, List.of(0L, 2L, 4L, 6L, 8L));
        assertTicks(10, 2, 10, List.of(0L, 2L, 4L, 6L, 8L, 10L));
        assertTicks(99, 20, 100, List.of(0L, 20L, 40L, 60L, 80L, 100L));
        assertTicks(1234, 500, 1500, List.of(0L, 500L, 1000L, 1500L));
    }

    @Test
    void niceTicksAreTheFinestThatFitInFiveIntervals() {
        for (long max = 1; max <= 20_000; max++) {
            Ticks t = Ticks.forMax(max);
            long mantissa = t.step();
            while (mantissa % 10 == 0) {
                mantissa /= 10;
            }
            assertTrue(mantissa == 1 || mantissa == 2 || mantissa == 5, "step " + t.step());
            assertTrue(t.top() >= max && t.top() - t.step() < max && t.top() % t.step() == 0, max + ": " + t);
            assertTrue(t.top() / t.step() <= Ticks.MAX_INTERVALS, max + ": " + t);
            long finer = mantissa == 2 ? t.step() / 2 : mantissa == 5 ? t.step() * 2 / 5 : t.step() / 2;
            assertTrue(finer < 1 || finer * Ticks.MAX_INTERVALS < max, max + ": " + t + " but " + finer + " fits");
        }
    }

    private static void assertTicks(long max, long step, long top, List<Long> values) {
        Ticks t = Ticks.forMax(max);
        assertEquals(new Ticks(step, top), t, "max " + max);
        assertEquals(values, t.values(), "max " + max);
    }
}
