package io.herdctl.scheduler.domain;

import java.time.Instant;

/** When one schedule fires next, and what firing does to that. */
public interface SchedulePlan {

    /** The slot that fires next, or null when the schedule never fires again. */
    Instant nextSlot();

    default boolean isDue(Instant now) {
        Instant next = nextSlot();
        return next != null && !now.isBefore(next);
    }

    /** The slot a job would fill if the plan fired now (the latest of several missed ones, for a catch-up). */
    default Instant dueSlot(Instant now) {
        return nextSlot();
    }

    /** Marks the due slot as fired and returns the slot the job fills ({@link #dueSlot}). */
    Instant fired(Instant now);

    /** Whether this plan still describes the schedule as configured now (else it is rebuilt). */
    boolean sameAs(Object definition);
}
