package io.herdctl.scheduler.domain;

import java.time.Instant;
import java.time.ZoneId;

import io.herdctl.events.CronExpression;

/**
 * When a cron schedule fires, on the wall clock of its time zone. A new plan
 * fires first at the next matching minute (never at once). When slots were
 * missed (the agent was at capacity, the scheduler was paused), the latest
 * missed one fires once and the plan moves on from now: a catch-up, never a
 * burst. Daylight-saving changes follow {@link CronExpression#next}.
 */
public final class CronPlan implements SchedulePlan {

    /** How many missed slots are walked to find the latest one before giving up and firing the oldest. */
    static final int MAX_WALK = 100_000;

    private final CronExpression cron;
    private final ZoneId zone;
    private Instant nextSlot;

    public CronPlan(CronExpression cron, ZoneId zone, Instant now) {
        this.cron = cron;
        this.zone = zone;
        this.nextSlot = cron.next(now, zone);
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public Instant nextSlot() {
        return nextSlot;
    }

    @Override
    public Instant dueSlot(Instant now) {
        Instant slot = nextSlot;
        for (int i = 0; slot != null && i < MAX_WALK; i++) {
            Instant later = cron.next(slot, zone);
            if (later == null || later.isAfter(now)) {
                break;
            }
            slot = later;
        }
        return slot;
    }

    @Override
    public Instant fired(Instant now) {
        Instant slot = dueSlot(now);
        nextSlot = cron.next(now, zone);
        return slot;
    }

    @Override
    public boolean sameAs(Object definition) {
        return definition instanceof Definition d && d.cron().equals(cron.source()) && d.zone().equals(zone);
    }

    /** What a cron plan is built from. */
    public record Definition(String cron, ZoneId zone) {
    }
}
