package io.herdctl.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class IntervalPlanTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void firesAtOnceThenStartToStart() {
        IntervalPlan plan = new IntervalPlan(Duration.ofMinutes(5), T0);
        assertTrue(plan.isDue(T0));
        assertEquals(T0, plan.fired(T0.plusMillis(300)));
        assertEquals(T0.plusSeconds(300), plan.nextSlot());
        assertFalse(plan.isDue(T0.plusSeconds(299)));
        assertTrue(plan.isDue(T0.plusSeconds(300)));
    }

    @Test
    void missedSlotsCollapseIntoOneFiringNow() {
        IntervalPlan plan = new IntervalPlan(Duration.ofMinutes(5), T0);
        plan.fired(T0);
        Instant late = T0.plus(Duration.ofHours(2));
        assertEquals(T0.plusSeconds(300), plan.fired(late));
        assertEquals(late, plan.nextSlot(), "the next slot is now, not a burst of 23 missed ones");
        assertEquals(late, plan.fired(late));
        assertEquals(late.plusSeconds(300), plan.nextSlot());
    }
}
