package io.herdctl.runner.docker;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import io.herdctl.runner.config.RunnerSettings;

/** The Docker client and the engine built on it. */
@ApplicationScoped
class DockerClients {

    @Produces
    @ApplicationScoped
    DockerClient dockerClient(RunnerSettings settings) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(settings.dockerHost())
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    void close(@Disposes DockerClient client) throws java.io.IOException {
        client.close();
    }

    @Produces
    @ApplicationScoped
    ContainerEngine engine(DockerClient client) {
        return new DockerContainerEngine(client);
    }
}
