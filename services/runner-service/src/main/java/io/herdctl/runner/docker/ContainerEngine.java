package io.herdctl.runner.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.herdctl.runner.runtime.OutputSink;

/** The container operations a job needs; Docker in production, a fake in unit tests. */
public interface ContainerEngine {

    /** Creates and starts the container; returns its id. Never pulls an image. */
    String start(ContainerPlan plan);

    /** Streams the container's output to {@code sink} until it exits; returns its exit code. */
    int follow(String containerId, OutputSink sink) throws InterruptedException;

    /** SIGTERM, then SIGKILL after {@code grace} (zero: SIGKILL at once); a container already gone is fine. */
    void stop(String containerId, Duration grace);

    /** Removes the container and its anonymous volumes; a container already gone is fine. */
    void remove(String containerId);

    /**
     * Runs {@code argv} inside a running container (a warm one) and streams its
     * output until it exits; returns its exit code.
     */
    int exec(String containerId, java.util.List<String> argv, java.util.List<String> env, String user, String workingDir,
            OutputSink sink) throws InterruptedException;

    /** Whether the container exists and is running. */
    boolean isRunning(String containerId);

    /**
     * The running container's IP address on {@code network} (its network mode), from
     * one inspect; null when it has none there ({@code none}, {@code host},
     * {@code container:...}). The egress proxy logs requests by this address.
     */
    String address(String containerId, String network);

    /**
     * The bind mounts of container {@code id} (this runner's own, when it runs in a
     * container): where each appears inside it and its source on the engine's host.
     * Empty when the engine does not know the container.
     */
    default List<HostPaths.Mapping> bindMounts(String id) {
        return List.of();
    }

    /** A container the runner created, found by its labels. */
    record Owned(String id, Map<String, String> labels, Instant created) {
    }

    /** Every container, running or not, that carries all of {@code labels}. */
    List<Owned> list(Map<String, String> labels);
}
