package io.herdctl.runner.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.HostConfigPolicy;
import io.herdctl.events.JobRequested;

/**
 * Turns a job request into a {@link ContainerPlan}. The spec arrives from a topic,
 * so every rule that keeps the container hardened is checked again here rather
 * than trusted: the fixed hardening cannot be switched off, root is refused,
 * ownership labels cannot be forged, published ports bind to loopback only,
 * and the runner's {@link EgressPolicy} decides the network and the proxy
 * variables over the agent's own.
 */
public final class ContainerSpecFactory {

    private static final Logger LOG = Logger.getLogger(ContainerSpecFactory.class);

    /** Where the agent's working directory appears inside the container. */
    public static final String WORKSPACE = "/workspace";
    /** The agent's home, writable (tmpfs) even though the root filesystem is read-only. */
    public static final String HOME = "/home/claude";
    /** Docker refuses memory limits under 6 MiB. */
    static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024;

    private static final Pattern USER = Pattern.compile("^(\\d+)(?::(\\d+))?$");
    private static final Pattern NAME_UNSAFE = Pattern.compile("[^a-zA-Z0-9_.-]");

    private final String defaultUser;
    private final long defaultPidsLimit;
    private final String tmpfsSize;
    private final String runnerId;
    private final String stackLabel;
    private final EgressPolicy egress;
    private final HostPaths hostPaths;
    private final StateGuard stateGuard;

    /**
     * @param hostPaths  how the runner's paths (workspace, sessions) appear on the engine's host,
     *                   for bind mount sources
     * @param stateGuard the state directories no bind source may be, contain or lie in
     */
    public ContainerSpecFactory(String defaultUser, long defaultPidsLimit, String tmpfsSize, String runnerId,
            String stackLabel, EgressPolicy egress, HostPaths hostPaths, StateGuard stateGuard) {
        this.defaultUser = defaultUser;
        this.defaultPidsLimit = defaultPidsLimit;
        this.tmpfsSize = tmpfsSize;
        this.runnerId = runnerId;
        this.stackLabel = stackLabel;
        this.egress = egress;
        this.hostPaths = hostPaths;
        this.stateGuard = stateGuard;
    }

    /** Without a state directory to keep out of containers. */
    public ContainerSpecFactory(String defaultUser, long defaultPidsLimit, String tmpfsSize, String runnerId,
            String stackLabel, EgressPolicy egress, HostPaths hostPaths) {
        this(defaultUser, defaultPidsLimit, tmpfsSize, runnerId, stackLabel, egress, hostPaths, StateGuard.NONE);
    }

    /** Without egress control (the agent's own network and env), sharing the engine's filesystem. */
    public ContainerSpecFactory(String defaultUser, long defaultPidsLimit, String tmpfsSize, String runnerId,
            String stackLabel) {
        this(defaultUser, defaultPidsLimit, tmpfsSize, runnerId, stackLabel, EgressPolicy.NONE, HostPaths.IDENTITY);
    }

    /**
     * @param argv        the Claude Code command, secrets resolved
     * @param resolvedEnv the secret-bearing environment (credentials, fleet env), values resolved
     * @param claudeHome  host directory mounted as the agent's {@code ~/.claude} so sessions outlive
     *                    the container, or null
     * @param name        the container's name
     */
    public ContainerPlan plan(JobRequested job, List<String> argv, Map<String, String> resolvedEnv, String claudeHome,
            String name, Map<String, String> extraLabels) {
        AgentSpec agent = job.spec();
        AgentSpec.DockerSpec docker = agent.docker();
        String networkMode = egress.networkFor(docker.network());
        docker.hostConfig().keySet().forEach(key -> {
            String refusal = HostConfigPolicy.refusal(key);
            if (refusal != null) {
                throw new JobRejectedException(refusal);
            }
        });

        String user = docker.user() != null ? docker.user() : defaultUser;
        var userMatch = USER.matcher(user);
        if (!userMatch.matches()) {
            throw new JobRejectedException("docker.user \"" + user + "\" is not UID or UID:GID");
        }
        if (Long.parseLong(userMatch.group(1)) == 0) {
            throw new JobRejectedException("docker.user \"" + user + "\" is root; job containers always run as a "
                    + "non-root user");
        }
        String uid = userMatch.group(1);
        String gid = userMatch.group(2) != null ? userMatch.group(2) : uid;

        if (docker.memoryBytes() < MIN_MEMORY_BYTES) {
            throw new JobRejectedException("docker.memory \"" + docker.memory() + "\" is below Docker's minimum of 6m");
        }
        long pids = docker.pidsLimit() != null && docker.pidsLimit() > 0 ? docker.pidsLimit() : defaultPidsLimit;

        Map<String, String> labels = new LinkedHashMap<>();
        docker.labels().forEach((k, v) -> {
            if (k.startsWith("io.herdctl.")) {
                throw new JobRejectedException("label \"" + k + "\" is reserved for herdctl's ownership labels");
            }
            labels.put(k, v);
        });
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.putAll(extraLabels);
        labels.put(Labels.AGENT, agent.qualifiedName());
        labels.put(Labels.RUNNER, runnerId);
        if (stackLabel != null) {
            labels.put(Labels.STACK, stackLabel);
        }

        List<ContainerPlan.Mount> binds = new ArrayList<>();
        if (agent.workingDirectory() == null || !agent.workingDirectory().startsWith("/")) {
            throw new JobRejectedException("working directory \"" + agent.workingDirectory() + "\" is not an absolute path");
        }
        String mode = docker.workspaceMode() == null ? "rw" : docker.workspaceMode();
        if (!mode.equals("rw") && !mode.equals("ro")) {
            throw new JobRejectedException("docker.workspace_mode \"" + mode + "\" is not rw or ro");
        }
        binds.add(new ContainerPlan.Mount(checkedSource("working directory", agent.workingDirectory()), WORKSPACE,
                mode.equals("ro")));
        for (String volume : docker.volumes()) {
            String[] parts = volume.split(":");
            if (parts.length < 2 || parts.length > 3 || !parts[1].startsWith("/")) {
                throw new JobRejectedException("docker.volumes entry \"" + volume + "\" is not host:container[:ro|rw]");
            }
            binds.add(new ContainerPlan.Mount(parts[0].startsWith("/") ? checkedSource("docker.volumes source", parts[0])
                    : parts[0], parts[1], parts.length == 3 && parts[2].equals("ro")));
        }
        if (claudeHome != null) {
            binds.add(new ContainerPlan.Mount(hostPaths.toHost(claudeHome), HOME + "/.claude", false));
        }

        String owner = "uid=" + uid + ",gid=" + gid;
        Map<String, String> tmpfs = new LinkedHashMap<>();
        tmpfs.put("/tmp", "rw,nosuid,nodev,size=" + tmpfsSize + ",mode=1777," + owner);
        tmpfs.put(HOME, "rw,nosuid,nodev,size=" + tmpfsSize + ",mode=0700," + owner);
        for (String entry : docker.tmpfs()) {
            String[] parts = entry.split(":", 2);
            if (!parts[0].startsWith("/")) {
                throw new JobRejectedException("docker.tmpfs entry \"" + entry + "\" does not start with /");
            }
            String options = parts.length == 2 ? parts[1] : "rw,nosuid,nodev";
            tmpfs.put(parts[0], options.contains("uid=") ? options : options + "," + owner);
        }

        List<ContainerPlan.PortBinding> ports = new ArrayList<>();
        for (String port : docker.ports()) {
            String[] parts = port.split(":");
            try {
                int container = Integer.parseInt(parts[parts.length - 1]);
                int host = parts.length == 2 ? Integer.parseInt(parts[0]) : container;
                ports.add(new ContainerPlan.PortBinding(host, container));
            } catch (NumberFormatException e) {
                throw new JobRejectedException("docker.ports entry \"" + port + "\" is not hostPort:containerPort");
            }
        }

        return new ContainerPlan(
                name,
                docker.image(),
                List.copyOf(argv),
                environment(job, resolvedEnv),
                uid + ":" + gid,
                WORKSPACE,
                Map.copyOf(labels),
                docker.memoryBytes(),
                pids,
                docker.cpuShares(),
                docker.cpuPeriod(),
                docker.cpuQuota(),
                networkMode,
                List.copyOf(binds),
                tmpfs,
                List.copyOf(ports),
                true,
                docker.hostConfig());
    }

    /** The bind source as the engine mounts it, links resolved, refused when it would expose herdctl's state. */
    private String checkedSource(String what, String path) {
        String source = hostPaths.toHostResolved(path);
        String refusal = stateGuard.refusal(what, path, source);
        if (refusal != null) {
            throw new JobRejectedException(refusal);
        }
        return source;
    }

    /**
     * A job's environment as {@code NAME=value}: home and terminal, the resolved env,
     * then the egress proxy variables, which replace any the agent set itself (a
     * warm container's {@code docker exec} gets the same list, so they win there too).
     */
    public List<String> environment(JobRequested job, Map<String, String> resolvedEnv) {
        Map<String, String> proxy = egress.environment();
        List<String> env = new ArrayList<>();
        env.add("HOME=" + HOME);
        env.add("TERM=xterm-256color");
        resolvedEnv.forEach((k, v) -> {
            if (proxy.containsKey(k)) {
                LOG.debugf("job %s: docker.env %s is replaced by the runner's egress proxy setting", job.jobId(), k);
            } else {
                env.add(k + "=" + v);
            }
        });
        proxy.forEach((k, v) -> env.add(k + "=" + v));
        return List.copyOf(env);
    }

    /** The name of a job's own container: one per job id, so the engine refuses a second. */
    public static String containerName(String agent, String jobId) {
        return "herdctl-" + NAME_UNSAFE.matcher(agent).replaceAll("_") + "-" + jobId;
    }
}
