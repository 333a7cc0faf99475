package io.herdctl.runner.service;

import java.time.Duration;

import io.herdctl.events.ExitReason;
import io.herdctl.events.JobRequested;
import io.herdctl.runner.runtime.Execution;

/**
 * A job this runner has claimed, and what is running it. A stop (cancel,
 * timeout, shutdown) may arrive before the process starts, while it runs or
 * after it ended; the first one wins and says how the job ends.
 */
final class HeldJob {

    /** Why a job was stopped from outside. */
    record Stop(ExitReason reason, String message) {
    }

    final JobRequested job;
    private Execution execution;
    private Stop stop;
    private Duration stopGrace;

    HeldJob(JobRequested job) {
        this.job = job;
    }

    /** Records what runs the job; if a stop came first, it is carried out at once. */
    synchronized void running(Execution execution) {
        this.execution = execution;
        if (stop != null) {
            execution.kill(stopGrace);
        }
    }

    /** Stops the job; the first reason given is the one that counts. */
    void stop(ExitReason reason, String message, Duration grace) {
        Execution toKill;
        synchronized (this) {
            if (stop == null) {
                stop = new Stop(reason, message);
                stopGrace = grace;
            }
            toKill = execution;
        }
        if (toKill != null) {
            toKill.kill(grace);
        }
    }

    synchronized Stop stopped() {
        return stop;
    }

    synchronized String executionId() {
        return execution == null ? null : execution.id();
    }
}
