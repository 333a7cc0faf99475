package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Next fire times: DST gaps and overlaps in named zones, month ends, leap days, aliases. */
class CronNextTest {

    static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId UTC = ZoneId.of("UTC");

    static Instant at(String local, ZoneId zone) {
        return java.time.LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    static List<String> fires(String cron, String fromLocal, ZoneId zone, int n) {
        CronExpression c = CronExpression.parse(cron);
        List<String> out = new ArrayList<>();
        Instant t = at(fromLocal, zone);
        for (int i = 0; i < n; i++) {
            t = c.next(t, zone);
            out.add(ZonedDateTime.ofInstant(t, zone).toOffsetDateTime().toString());
        }
        return out;
    }

    @Test
    void dailyAtNineStaysAtNineLocalAcrossTheSpringChange() {
        assertEquals(List.of("2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00"),
                fires("0 9 * * *", "2026-03-28T08:00", AMSTERDAM, 3));
    }

    @Test
    void aTimeTheSpringChangeSkipsFiresOnceWhenTheClocksJump() {
        // 02:00-03:00 does not exist in Amsterdam on 2026-03-29.
        assertEquals(List.of("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"),
                fires("30 2 * * *", "2026-03-28T00:00", AMSTERDAM, 3));
        assertEquals(List.of("2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00"),
                fires("*/15 * * * *", "2026-03-29T01:30", AMSTERDAM, 3), "four skipped slots fire once, not four times");
    }

    @Test
    void aTimeTheAutumnChangeRepeatsFiresOnlyTheFirstTime() {
        // 01:00-02:00 happens twice in New York on 2026-11-01.
        assertEquals(List.of("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                fires("30 1 * * *", "2026-11-01T00:00", NEW_YORK, 2));
        assertEquals(List.of("2026-11-01T01:45-04:00", "2026-11-01T02:00-05:00"),
                fires("*/15 1,2 * * *", "2026-11-01T01:40", NEW_YORK, 2), "the repeated hour's slots fire once");
    }

    @Test
    void monthEndsAndLeapDays() {
        assertEquals(List.of("2026-01-31T00:00Z", "2026-03-31T00:00Z", "2026-05-31T00:00Z"),
                fires("0 0 31 * *", "2026-01-15T00:00", UTC, 3), "months without a 31st are skipped");
        assertEquals(List.of("2028-02-29T12:00Z", "2032-02-29T12:00Z"), fires("0 12 29 2 *", "2026-03-01T00:00", UTC, 2));
        assertNull(CronExpression.parse("0 0 30 2 *").next(at("2026-01-01T00:00", UTC), UTC), "February 30th never comes");
    }

    @Test
    void aliasesAndTheDayFieldsOrRule() {
        assertEquals(List.of("2027-01-01T00:00Z"), fires("@yearly", "2026-06-01T00:00", UTC, 1));
        assertEquals(List.of("2026-07-01T00:00Z"), fires("@monthly", "2026-06-01T00:00", UTC, 1));
        assertEquals(List.of("2026-06-07T00:00Z"), fires("@weekly", "2026-06-01T00:00", UTC, 1), "Sunday");
        assertEquals(List.of("2026-06-02T00:00Z"), fires("@daily", "2026-06-01T00:00", UTC, 1));
        assertEquals(List.of("2026-06-01T01:00Z"), fires("@hourly", "2026-06-01T00:00", UTC, 1));
        // Day of month 1 OR Monday, as classic cron does when both are restricted.
        assertEquals(List.of("2026-06-01T09:00Z", "2026-06-08T09:00Z", "2026-06-15T09:00Z"),
                fires("0 9 1 * MON", "2026-05-31T12:00", UTC, 3));
        assertEquals(List.of("2026-06-07T10:00Z"), fires("0 10 * * 7", "2026-06-01T00:00", UTC, 1), "7 is Sunday too");
    }

    @Test
    void nextIsStrictlyAfterEvenOnTheMinute() {
        assertEquals(List.of("2026-06-01T00:01Z", "2026-06-01T00:02Z"), fires("* * * * *", "2026-06-01T00:00", UTC, 2));
    }
}
