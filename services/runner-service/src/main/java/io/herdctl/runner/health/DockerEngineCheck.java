package io.herdctl.runner.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.github.dockerjava.api.DockerClient;

/** A runner without a reachable Docker engine cannot run a job. */
@Readiness
@ApplicationScoped
public class DockerEngineCheck implements HealthCheck {

    private final DockerClient docker;

    public DockerEngineCheck(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            docker.pingCmd().exec();
            return HealthCheckResponse.named("docker-engine").up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("docker-engine").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
