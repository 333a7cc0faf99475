package io.herdctl.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import io.herdctl.events.CronExpression;

class CronPlanTest {

    static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    @Test
    void firesFirstAtTheNextMatchingMinuteNeverAtOnce() {
        Instant now = Instant.parse("2026-06-01T06:59:30Z");
        CronPlan plan = new CronPlan(CronExpression.parse("0 9 * * *"), AMSTERDAM, now);
        assertEquals(Instant.parse("2026-06-01T07:00:00Z"), plan.nextSlot(), "09:00 in Amsterdam is 07:00 UTC in summer");
        assertFalse(plan.isDue(now));
        assertTrue(plan.isDue(Instant.parse("2026-06-01T07:00:00.200Z")));
    }

    @Test
    void missedSlotsFireOnceForTheLatestThenMoveOnFromNow() {
        CronPlan plan = new CronPlan(CronExpression.parse("*/10 * * * *"), ZoneId.of("UTC"),
                Instant.parse("2026-06-01T00:00:00Z"));
        Instant late = Instant.parse("2026-06-01T00:47:00Z");
        assertEquals(Instant.parse("2026-06-01T00:40:00Z"), plan.dueSlot(late));
        assertEquals(Instant.parse("2026-06-01T00:40:00Z"), plan.fired(late), "one catch-up, not four");
        assertEquals(Instant.parse("2026-06-01T00:50:00Z"), plan.nextSlot());
        assertFalse(plan.isDue(late));
    }

    @Test
    void aRedefinedScheduleIsNotTheSamePlan() {
        CronPlan plan = new CronPlan(CronExpression.parse("0 9 * * *"), AMSTERDAM, Instant.now());
        assertTrue(plan.sameAs(new CronPlan.Definition("0 9 * * *", AMSTERDAM)));
        assertFalse(plan.sameAs(new CronPlan.Definition("0 9 * * *", ZoneId.of("UTC"))));
        assertFalse(plan.sameAs(new CronPlan.Definition("0 10 * * *", AMSTERDAM)));
    }
}
