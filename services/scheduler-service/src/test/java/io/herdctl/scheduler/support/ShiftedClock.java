package io.herdctl.scheduler.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

/**
 * The scheduler's clock in tests: the real time plus an offset a test may set,
 * so a cron minute can be reached in seconds. Tests that do not shift it see
 * the real time.
 */
@ApplicationScoped
public class ShiftedClock {

    private static volatile Duration shift = Duration.ZERO;

    public static void shiftTo(Instant wanted) {
        shift = Duration.between(Instant.now(), wanted);
    }

    public static void reset() {
        shift = Duration.ZERO;
    }

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plus(shift);
            }
        };
    }
}
