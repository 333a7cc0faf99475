package io.herdctl.config.doctor;

import java.util.List;
import java.util.Optional;

import io.herdctl.config.fleet.FieldOrigin;
import io.herdctl.events.AgentSpec;

/**
 * The guide's Docker advice per agent: isolation on, a non-root user, resource
 * limits, a read-only workspace, fresh containers, the network tier, host
 * volumes, and (as information) the hardening the runner adds whatever the
 * configuration says. Everything but the first is about the container, so it is
 * checked only for agents that have one.
 */
final class ContainerChecks {

    static final String DOCKER_ENABLED = "docker-enabled";
    static final String DOCKER_USER = "docker-user";
    static final String MEMORY_LIMIT = "memory-limit";
    static final String CPU_LIMIT = "cpu-limit";
    static final String PIDS_LIMIT = "pids-limit";
    static final String WORKSPACE_MODE = "workspace-mode";
    static final String EPHEMERAL = "ephemeral";
    static final String NETWORK = "network";
    static final String VOLUMES = "volumes";
    static final String RUNNER_HARDENING = "runner-hardening";

    /** The guide's largest tier (development, trusted agents only) gives 4g; more is no longer a limit that protects. */
    static final long MEMORY_BOUND_BYTES = 4L << 30;

    private final SensitivePaths paths;

    ContainerChecks(SensitivePaths paths) {
        this.paths = paths;
    }

    void check(AgentView a, Findings out) {
        dockerEnabled(a, out);
        if (!a.inDocker()) {
            return;
        }
        user(a, out);
        memory(a, out);
        cpu(a, out);
        pids(a, out);
        workspaceMode(a, out);
        ephemeral(a, out);
        network(a, out);
        volumes(a, out);
        out.agent(RUNNER_HARDENING, Severity.INFO, a, a.at("docker", "enabled"), "the runner always adds: every "
                + "capability dropped (--cap-drop=ALL), no-new-privileges, a read-only root filesystem with a private "
                + "/tmp and home, an init process, root refused, published ports bound to 127.0.0.1; host_config "
                + "cannot switch any of it off", null);
    }

    private static void dockerEnabled(AgentView a, Findings out) {
        FieldOrigin where = a.at("docker", "enabled");
        if (a.inDocker()) {
            out.agent(DOCKER_ENABLED, Severity.OK, a, where, "jobs run in a hardened container", null);
            return;
        }
        boolean bypass = a.bypassesPermissions();
        out.agent(DOCKER_ENABLED, bypass ? Severity.CRITICAL : Severity.HIGH, a, where,
                (where.value() == null ? "docker.enabled is not set (it defaults to false)" : "docker.enabled is false")
                        + ": jobs run as processes on the runner's host, with its user's access to every file, "
                        + "credential and network it can reach"
                        + (bypass ? "; with permission_mode: bypassPermissions nothing asks before any command runs there"
                                + " (the fleet file's security.allow_bypass_without_docker accepts that for this agent)"
                                : ""),
                "set docker.enabled: true (in the agent file, or under defaults.docker for the whole fleet); a runner "
                        + "with herdctl.runner.host-processes=false refuses such jobs outright");
    }

    private static void user(AgentView a, Findings out) {
        Optional<FieldOrigin> set = a.written("docker", "user");
        if (set.isPresent()) {
            out.agent(DOCKER_USER, Severity.OK, a, set.get(), "runs as " + a.docker().user() + " (root is refused)", null);
        } else {
            out.agent(DOCKER_USER, Severity.INFO, a, a.at("docker", "user"), "docker.user is not set: the runner picks "
                    + "a non-root user (its own uid:gid, or 1000:1000 when it runs as root; herdctl.runner.default-user)",
                    "nothing needed; to pin it, set docker.user: \"UID:GID\" in the fleet file (defaults.docker or "
                            + "agents[].overrides.docker)");
        }
    }

    private static void memory(AgentView a, Findings out) {
        AgentSpec.DockerSpec d = a.docker();
        Optional<FieldOrigin> set = a.written("docker", "memory");
        if (set.isEmpty()) {
            out.agent(MEMORY_LIMIT, Severity.INFO, a, a.at("docker", "memory"), "docker.memory is not set: herdctl's "
                    + "default of " + d.memory() + " applies (memory and swap together)",
                    "set docker.memory to what the agent needs (the guide's restrictive tier: 1g)");
        } else if (d.memoryBytes() > MEMORY_BOUND_BYTES) {
            out.agent(MEMORY_LIMIT, Severity.MEDIUM, a, set.get(), "docker.memory is " + d.memory() + ", more than 4g "
                    + "(the guide's largest tier, for trusted development agents): a runaway or hostile job can hold "
                    + "that much of the host", "lower docker.memory to 4g or less (1g to 2g suits most agents)");
        } else {
            out.agent(MEMORY_LIMIT, Severity.OK, a, set.get(), "memory limited to " + d.memory(), null);
        }
    }

    private static void cpu(AgentView a, Findings out) {
        AgentSpec.DockerSpec d = a.docker();
        if (d.cpuQuota() != null) {
            out.agent(CPU_LIMIT, Severity.OK, a, a.at("docker", "cpu_quota"), "CPU capped by docker.cpu_quota "
                    + d.cpuQuota() + (d.cpuPeriod() == null ? "" : " per " + d.cpuPeriod() + " µs"), null);
        } else if (d.cpuShares() != null) {
            out.agent(CPU_LIMIT, Severity.OK, a, a.at("docker", "cpu_shares"), "CPU weighted by docker.cpu_shares "
                    + d.cpuShares() + " (a share under contention, not a cap)", null);
        } else {
            out.agent(CPU_LIMIT, Severity.LOW, a, a.at("docker", "cpu_shares"), "neither docker.cpu_shares nor "
                    + "docker.cpu_quota is set: a job may take every core of the host",
                    "set docker.cpu_shares (e.g. 512, the guide's restrictive tier) or docker.cpu_quota with "
                            + "docker.cpu_period (50000 of 100000 is half a core)");
        }
    }

    private static void pids(AgentView a, Findings out) {
        Optional<FieldOrigin> set = a.written("docker", "pids_limit");
        if (set.isPresent()) {
            out.agent(PIDS_LIMIT, Severity.OK, a, set.get(), "at most " + a.docker().pidsLimit() + " processes", null);
        } else {
            out.agent(PIDS_LIMIT, Severity.INFO, a, a.at("docker", "pids_limit"), "docker.pids_limit is not set: the "
                    + "runner applies its own default (256, herdctl.runner.default-pids-limit), so a fork bomb stops "
                    + "there", "set docker.pids_limit to what the agent needs (the guide's restrictive tier: 50)");
        }
    }

    private static void workspaceMode(AgentView a, Findings out) {
        Optional<FieldOrigin> set = a.written("docker", "workspace_mode");
        String dir = a.spec().workingDirectory();
        if ("ro".equals(a.docker().workspaceMode())) {
            out.agent(WORKSPACE_MODE, Severity.OK, a, a.at("docker", "workspace_mode"), "the workspace is read-only",
                    null);
        } else if (set.isPresent()) {
            out.agent(WORKSPACE_MODE, Severity.INFO, a, set.get(), "the workspace " + dir + " is mounted read-write "
                    + "(docker.workspace_mode: rw): the agent can change or delete anything in it",
                    "if the agent only reads (reviews, reports, monitoring), set docker.workspace_mode: ro");
        } else {
            out.agent(WORKSPACE_MODE, Severity.LOW, a, a.at("docker", "workspace_mode"), "docker.workspace_mode is not "
                    + "set, so the workspace " + dir + " is mounted read-write (herdctl's default): the agent can change "
                    + "or delete anything in it", "set docker.workspace_mode: ro where the agent only reads; where it "
                    + "must write, set rw explicitly so the choice is on record");
        }
    }

    private static void ephemeral(AgentView a, Findings out) {
        FieldOrigin where = a.at("docker", "ephemeral");
        if (a.docker().ephemeral()) {
            out.agent(EPHEMERAL, Severity.OK, a, where, "a fresh container for every job", null);
        } else {
            out.agent(EPHEMERAL, Severity.LOW, a, where, "docker.ephemeral: false keeps containers (at most "
                    + a.docker().maxContainers() + ") and reuses them across jobs, so whatever one job left in /tmp, in "
                    + "its home or in running processes is there for the next",
                    "set docker.ephemeral: true (the default) unless start-up time matters more than a clean container");
        }
    }

    private static void network(AgentView a, Findings out) {
        String network = a.docker().network() == null ? "bridge" : a.docker().network();
        FieldOrigin where = a.at("docker", "network");
        switch (network) {
            case "host" -> out.agent(NETWORK, a.bypassesPermissions() ? Severity.CRITICAL : Severity.HIGH, a, where,
                    "docker.network: host shares the host's network stack: the agent reaches every local service, "
                            + "the cloud metadata address and the LAN, and no egress proxy can hold it back"
                            + (a.bypassesPermissions() ? "; with bypassPermissions nothing asks before it does" : "")
                            + " (a runner with herdctl.runner.egress.network set refuses it unless "
                            + "allow-agent-networks is on)",
                    "remove network: host and use bridge behind the egress proxy; if an infrastructure agent truly "
                            + "needs the LAN, give it trusted prompts only and never bypassPermissions");
            case "none" -> out.agent(NETWORK, Severity.INFO, a, where, "docker.network: none: no network at all; the "
                    + "guide calls it non-functional because Claude Code cannot reach the Anthropic API (fine for an "
                    + "agent that needs none, such as a scripted test agent)",
                    "if the agent must reach the API, use bridge behind the egress proxy (whitelisted domains only)");
            case "bridge" -> out.agent(NETWORK, Severity.INFO, a, where, "docker.network: bridge"
                    + (where.value() == null ? " (the default)" : "") + " gives full internet access unless the runner "
                    + "sends job traffic through the egress proxy (herdctl.runner.egress.network and .proxy, as the "
                    + "Compose deployment does); that is runner configuration, which the fleet files cannot show",
                    "run the fleet with the Compose deployment (deploy/compose) or set herdctl.runner.egress.* on "
                            + "the runner, so only whitelisted domains are reachable");
            default -> out.agent(NETWORK, Severity.INFO, a, where, "joins the Docker network \"" + network + "\": what "
                    + "it can reach depends on how that network was created, which the fleet files cannot show",
                    "make \"" + network + "\" an internal network whose only way out is the egress proxy");
        }
    }

    private void volumes(AgentView a, Findings out) {
        List<String> volumes = a.docker().volumes();
        if (volumes.isEmpty()) {
            out.agent(VOLUMES, Severity.OK, a, a.at("docker", "volumes"), "no host volumes: the container sees its "
                    + "workspace only", null);
            return;
        }
        for (int i = 0; i < volumes.size(); i++) {
            String[] parts = volumes.get(i).split(":");
            String host = parts[0];
            boolean readOnly = parts.length == 3 && parts[2].equals("ro");
            FieldOrigin where = a.at("docker", "volumes", "[" + i + "]");
            String sensitive = paths.sensitive(host);
            if (host.endsWith("docker.sock") || host.equals("/var/run") || host.equals("/run")) {
                out.agent(VOLUMES, Severity.CRITICAL, a, where, "mounts the Docker socket (" + host + "): whoever "
                        + "controls the container controls the engine, and so is root on the host",
                        "remove this volume; an agent never needs the Docker engine");
            } else if (sensitive != null) {
                out.agent(VOLUMES, Severity.HIGH, a, where, "mounts " + host + ", " + sensitive + ", into the container "
                        + (readOnly ? "(read-only)" : "read-write") + ": everything in it is one prompt injection away "
                        + "from being read" + (readOnly ? "" : " or changed"),
                        "mount only the project data the agent needs, read-only (:ro)");
            } else if (!readOnly) {
                out.agent(VOLUMES, Severity.INFO, a, where, "mounts " + host + " read-write at " + parts[1],
                        "add :ro if the agent only reads it");
            } else {
                out.agent(VOLUMES, Severity.OK, a, where, "mounts " + host + " read-only at " + parts[1], null);
            }
        }
    }
}
