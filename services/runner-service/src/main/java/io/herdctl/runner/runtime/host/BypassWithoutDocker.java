package io.herdctl.runner.runtime.host;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobRequested;
import io.herdctl.runner.docker.JobRejectedException;

/**
 * The runner's own check of the rule config-service applies at load: an agent
 * with {@code permission_mode: bypassPermissions} and Docker off runs every
 * command it decides on as a process of the runner's host, unasked, so such a job
 * runs only if the fleet file allowed it for that agent
 * ({@code security.allow_bypass_without_docker}, carried in the spec). A request
 * without the allowance (from an older producer, or written by hand without the
 * field) is refused here; one that sets the field itself is not: the allowance
 * travels in the same record, and whoever writes the job topics is trusted.
 */
public final class BypassWithoutDocker {

    private BypassWithoutDocker() {
    }

    /** @throws JobRejectedException when the job would bypass permissions on the host without an allowance */
    public static void refuseUnlessAllowed(JobRequested job) {
        AgentSpec spec = job.spec();
        if (spec.bypassesPermissionsWithoutDocker() && !spec.allowBypassWithoutDocker()) {
            throw new JobRejectedException("agent \"" + job.agent() + "\" has permission_mode: bypassPermissions and "
                    + "docker.enabled: false, and its fleet file does not allow that for it: the job would run every "
                    + "command on the runner's host with nobody asked, so it was not started. Set docker.enabled: true, "
                    + "use a permission mode that asks, or list the agent under security.allow_bypass_without_docker "
                    + "in herdctl.yaml");
        }
    }
}
