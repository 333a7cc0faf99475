package io.herdctl.runner.docker;

import java.time.Duration;

import io.herdctl.events.OutputStream;

/** The container operations a job needs; Docker in production, a fake in unit tests. */
public interface ContainerEngine {

    /** Receives a container's output, one complete line at a time, in the order it was written per stream. */
    @FunctionalInterface
    interface LineSink {
        void line(OutputStream stream, String line);
    }

    /** Creates and starts the container; returns its id. Never pulls an image. */
    String start(ContainerPlan plan);

    /** Streams the container's output to {@code sink} until it exits; returns its exit code. */
    int follow(String containerId, LineSink sink) throws InterruptedException;

    /** SIGTERM, then SIGKILL after {@code grace}; a container already gone is fine. */
    void stop(String containerId, Duration grace);

    /** Removes the container and its anonymous volumes; a container already gone is fine. */
    void remove(String containerId);
}
