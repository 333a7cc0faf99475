package io.herdctl.runner.docker;

/** Ownership labels on every container the runner creates; nothing in configuration can set these. */
public final class Labels {

    public static final String MANAGED_BY = "io.herdctl.managed-by";
    public static final String MANAGED_BY_VALUE = "herdctl";
    public static final String JOB_ID = "io.herdctl.job-id";
    public static final String AGENT = "io.herdctl.agent";
    public static final String RUNNER = "io.herdctl.runner";
    public static final String STACK = "io.herdctl.stack";

    private Labels() {
    }
}
