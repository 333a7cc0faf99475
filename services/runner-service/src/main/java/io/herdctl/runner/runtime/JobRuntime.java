package io.herdctl.runner.runtime;

import java.util.List;
import java.util.Map;

import io.herdctl.events.JobRequested;

/** Starts a job's Claude Code command somewhere: a fresh container, a warm container, or a host process. */
public interface JobRuntime {

    /**
     * What to start. {@code env} holds resolved secrets and must never be logged;
     * {@code argv} is passed as an exec array, never through a shell.
     */
    record Launch(JobRequested job, List<String> argv, Map<String, String> env) {

        @Override
        public String toString() {
            return "Launch[job=" + job.jobId() + ", argv=" + argv.size() + " args, env=" + env.size()
                    + " entries (values hidden)]";
        }
    }

    /**
     * Starts the command and returns once it runs.
     *
     * @throws io.herdctl.runner.docker.JobRejectedException when the job cannot run as configured (the message says why)
     */
    Execution start(Launch launch);
}
