package io.herdctl.runner.docker;

/** A job the runner refuses to start: its spec breaks a rule the runner enforces itself. */
public class JobRejectedException extends RuntimeException {

    public JobRejectedException(String message) {
        super(message);
    }
}
