package io.herdctl.runner.runtime;

import java.time.Duration;

/**
 * One job's Claude Code process, in a container or on the host, from start to
 * exit. {@link #kill} may be called from any thread at any time (cancel,
 * timeout, shutdown) and makes {@link #follow} return soon after.
 */
public interface Execution {

    /** What runs the job: a container id, or {@code host:<pid>} for a host process. */
    String id();

    /** Streams every output line to {@code sink} until the process exits; returns its exit code. */
    int follow(OutputSink sink) throws InterruptedException;

    /** SIGTERM, then SIGKILL once {@code grace} has passed; a process already gone is fine. */
    void kill(Duration grace);

    /**
     * The container's IP address on its network, for the {@code running} status (the
     * egress proxy logs requests by it); null for a host process, a container without
     * a network, or when it is not known.
     */
    default String address() {
        return null;
    }

    /** Frees what the execution held (removes the container, or hands a warm one back); idempotent. */
    void release();
}
