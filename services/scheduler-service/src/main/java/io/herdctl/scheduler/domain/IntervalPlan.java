package io.herdctl.scheduler.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When an interval schedule fires. The first slot is the moment the schedule is
 * first seen (herdctl fires a new interval schedule at once); each next slot is
 * the previous slot plus the interval, start to start, or now when that moment
 * has already passed (no burst of missed slots). A slot that cannot fire because
 * the agent is at capacity stays due and fires as soon as capacity frees.
 */
public final class IntervalPlan implements SchedulePlan {

    private final Duration interval;
    private Instant nextSlot;

    public IntervalPlan(Duration interval, Instant firstSlot) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        this.interval = interval;
        this.nextSlot = firstSlot;
    }

    public Duration interval() {
        return interval;
    }

    @Override
    public Instant nextSlot() {
        return nextSlot;
    }

    @Override
    public Instant fired(Instant now) {
        Instant slot = nextSlot;
        Instant following = slot.plus(interval);
        nextSlot = following.isBefore(now) ? now : following;
        return slot;
    }

    @Override
    public boolean sameAs(Object definition) {
        return interval.equals(definition);
    }
}
