package io.herdctl.scheduler.rest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herdctl.scheduler.messaging.ScheduleStore;

/** Not ready, and firing nothing, until every schedule's last slot has been read back. */
@Readiness
@ApplicationScoped
public class ScheduleStateCheck implements HealthCheck {

    private final ScheduleStore store;

    public ScheduleStateCheck(ScheduleStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("schedule-state").status(store.isLoaded()).build();
    }
}
