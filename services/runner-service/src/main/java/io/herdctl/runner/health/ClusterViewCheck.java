package io.herdctl.runner.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herdctl.runner.cluster.ClusterView;

/**
 * Not ready until the job-status, job-control and runners topics have been read
 * up to where they stood at start: before that, a redelivered request could not
 * be told from a new one.
 */
@Readiness
@ApplicationScoped
public class ClusterViewCheck implements HealthCheck {

    private final ClusterView view;

    public ClusterViewCheck(ClusterView view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cluster-view").status(view.isCaughtUp()).build();
    }
}
