package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {

    @ParameterizedTest
    @ValueSource(strings = {"0 9 * * *", "*/15 * * * *", "0 9-17 * * MON-FRI", "0 0 1,15 * *", "30 2 * JAN,jul sun",
            "0 0 * * 7", "5-55/10 * * * *", "@daily", "@HOURLY", "@annually", "@midnight", "  0 0 * * 0  "})
    void acceptsHerdctlExpressions(String expression) {
        assertTrue(CronExpression.isValid(expression), expression);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|Cron expression cannot be empty.",
            "@every5m|Unknown cron shorthand \"@every5m\". Valid shorthands are: @yearly, @monthly, @weekly, @daily, @hourly",
            "0 9 * *|Invalid cron expression \"0 9 * *\" - expected 5 fields, got 4",
            "0 24 * * *|Invalid cron expression \"0 24 * * *\" - hour must be 0-23",
            "*/0 * * * *|Invalid cron expression \"*/0 * * * *\" - invalid step value \"*/0\" for minute",
            "0 0 0 * *|Invalid cron expression \"0 0 0 * *\" - day of month must be 1-31",
            "0 0 * 13 *|Invalid cron expression \"0 0 * 13 *\" - month must be 1-12",
            "0 0 * * 8|Invalid cron expression \"0 0 * * 8\" - day of week must be 0-7",
            "x 0 * * *|Invalid cron expression \"x 0 * * *\" - \"x\" is not a valid minute",
            "0 17-9 * * *|Invalid cron expression \"0 17-9 * * *\" - hour range \"17-9\" goes backwards"})
    void rejectsWithHerdctlMessages(String expression, String messageStart) {
        CronExpression.CronException e = assertThrows(CronExpression.CronException.class,
                () -> CronExpression.parse(expression));
        assertEquals(messageStart, e.getMessage().substring(0, messageStart.length()));
        if (e.getMessage().startsWith("Invalid")) {
            assertTrue(e.getMessage().contains("Example valid expression: \"0 9 * * *\""), e.getMessage());
        }
    }

    @Test
    void readsFieldsNamesAndSundayAsSevenOrZero() {
        CronExpression c = CronExpression.parse("*/20 9-17 * * 7");
        assertTrue(c.matches(CronExpression.Field.MINUTE, 40));
        assertFalse(c.matches(CronExpression.Field.MINUTE, 50));
        assertTrue(c.matches(CronExpression.Field.HOUR, 17));
        assertTrue(c.dayMatches(3, 0), "7 is Sunday");
        assertFalse(c.dayMatches(3, 1));
        CronExpression both = CronExpression.parse("0 0 13 * FRI");
        assertTrue(both.dayMatches(13, 2), "day of month or day of week, when both are set");
        assertTrue(both.dayMatches(1, 5));
        assertFalse(both.dayMatches(1, 4));
    }
}
