package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalParserTest {

    @ParameterizedTest
    @CsvSource({"5m,300000", "1h,3600000", "30 s,30000", "2D,172800000", " 10s ,10000"})
    void parsesHerdctlIntervals(String input, long millis) {
        assertEquals(millis, IntervalParser.parseMillis(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|Interval cannot be empty.",
            "5|Missing time unit in interval \"5\".",
            "abc|Missing numeric value in interval \"abc\".",
            "1.5h|Decimal values are not supported in interval \"1.5h\".",
            "-5m|Negative intervals are not allowed: \"-5m\".",
            "0s|Zero interval is not allowed: \"0s\".",
            "5x|Invalid time unit \"x\" in interval \"5x\".",
            "1h30m|Invalid interval format \"1h30m\"."})
    void rejectsWithHerdctlMessages(String input, String messageStart) {
        IntervalParser.IntervalException e = assertThrows(IntervalParser.IntervalException.class,
                () -> IntervalParser.parseMillis(input));
        assertEquals(messageStart, e.getMessage().substring(0, messageStart.length()));
    }
}
