package io.herdctl.runner.docker;

import java.util.List;
import java.util.Map;

/**
 * Everything about one job container, decided before Docker is called, so the
 * hardening can be read and tested without an engine. {@code env} holds resolved
 * values and must never be logged; {@link #toString()} leaves them out.
 * {@code hostConfig} is the fleet's raw {@code host_config}, already checked
 * against {@link io.herdctl.events.HostConfigPolicy}; the hardening is applied
 * over it.
 */
public record ContainerPlan(
        String name,
        String image,
        List<String> command,
        List<String> env,
        String user,
        String workingDir,
        Map<String, String> labels,
        long memoryBytes,
        long pidsLimit,
        Long cpuShares,
        Long cpuPeriod,
        Long cpuQuota,
        String networkMode,
        List<Mount> binds,
        Map<String, String> tmpfs,
        List<PortBinding> ports,
        boolean readOnlyRootFs,
        Map<String, Object> hostConfig) {

    /** Capabilities and options every job container gets, whatever the configuration says. */
    public static final List<String> CAP_DROP = List.of("ALL");
    public static final List<String> SECURITY_OPTS = List.of("no-new-privileges:true");

    public record Mount(String hostPath, String containerPath, boolean readOnly) {
    }

    /** A published port, always on the loopback address of the host. */
    public record PortBinding(int hostPort, int containerPort) {
    }

    @Override
    public String toString() {
        return "ContainerPlan[name=" + name + ", image=" + image + ", user=" + user + ", memory=" + memoryBytes
                + ", pids=" + pidsLimit + ", network=" + networkMode + ", env=" + env.size() + " entries (values hidden)]";
    }
}
