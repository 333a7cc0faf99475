package io.herdctl.events;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fleet's raw {@code docker.host_config} may hold. The original spreads it
 * over the translated settings, so one key could undo the hardening. Here a key
 * is accepted only from a short list of tuning settings; a key that would weaken
 * isolation is refused with the reason. config-service applies this when it reads
 * the fleet and the runner applies it again before it creates a container.
 */
public final class HostConfigPolicy {

    /** Docker HostConfig keys that tune a container without widening what it may do. */
    public static final Set<String> ALLOWED = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("ShmSize",
            "Ulimits", "Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "LogConfig", "OomScoreAdj", "CpusetCpus",
            "CpusetMems", "NanoCpus", "BlkioWeight", "Runtime", "StorageOpt")));

    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("Privileged", "a privileged container has every capability and every device of the host"),
            Map.entry("CapAdd", "capabilities are always dropped (--cap-drop=ALL) and cannot be added back"),
            Map.entry("CapDrop", "--cap-drop=ALL is fixed; there is nothing left to drop"),
            Map.entry("SecurityOpt", "no-new-privileges and the default seccomp and AppArmor profiles are fixed"),
            Map.entry("PidMode", "sharing the host's process namespace exposes every process of the host"),
            Map.entry("IpcMode", "sharing the host's IPC namespace exposes its shared memory"),
            Map.entry("UsernsMode", "the user namespace of the host cannot be shared"),
            Map.entry("UTSMode", "the host's UTS namespace cannot be shared"),
            Map.entry("CgroupnsMode", "the host's cgroup namespace cannot be shared"),
            Map.entry("NetworkMode", "set the network with docker.network, where it is checked"),
            Map.entry("Binds", "mount host paths with docker.volumes, where they are checked"),
            Map.entry("Mounts", "mount host paths with docker.volumes, where they are checked"),
            Map.entry("VolumesFrom", "mount host paths with docker.volumes, where they are checked"),
            Map.entry("Devices", "host devices cannot be passed to an agent"),
            Map.entry("DeviceCgroupRules", "host devices cannot be passed to an agent"),
            Map.entry("DeviceRequests", "host devices cannot be passed to an agent"),
            Map.entry("ReadonlyRootfs", "the root filesystem is always read-only"),
            Map.entry("Memory", "set memory with docker.memory (swap always equals it)"),
            Map.entry("MemorySwap", "swap always equals docker.memory"),
            Map.entry("MemorySwappiness", "swap always equals docker.memory"),
            Map.entry("PidsLimit", "set it with docker.pids_limit"),
            Map.entry("Init", "--init is always on"),
            Map.entry("Sysctls", "kernel parameters of the container's namespaces cannot be changed"),
            Map.entry("GroupAdd", "extra groups (such as the docker group) cannot be added"),
            Map.entry("PortBindings", "publish ports with docker.ports (always on 127.0.0.1)"),
            Map.entry("PublishAllPorts", "publish ports with docker.ports (always on 127.0.0.1)"),
            Map.entry("AutoRemove", "the runner removes containers itself, after reading their output"),
            Map.entry("CpuShares", "set it with docker.cpu_shares"),
            Map.entry("CpuPeriod", "set it with docker.cpu_period"),
            Map.entry("CpuQuota", "set it with docker.cpu_quota"),
            Map.entry("Tmpfs", "set tmpfs mounts with docker.tmpfs"));

    private HostConfigPolicy() {
    }

    /** Why {@code key} may not be set, or null when it may. */
    public static String refusal(String key) {
        String reason = REFUSED.get(key);
        if (reason != null) {
            return "host_config." + key + " is refused: " + reason;
        }
        if (!ALLOWED.contains(key)) {
            return "host_config." + key + " is not allowed (allowed: " + String.join(", ", ALLOWED) + ")";
        }
        return null;
    }

    /** The reason alone for a key on the refused list, or null. */
    public static String refusedBecause(String key) {
        return REFUSED.get(key);
    }
}
