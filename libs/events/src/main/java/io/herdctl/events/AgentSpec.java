package io.herdctl.events;

import java.util.List;
import java.util.Map;

/**
 * An agent as config-service resolved it: the agent file merged with fleet
 * defaults and the fleet's per-agent overrides, validated, paths made absolute.
 *
 * <p>Values of {@code docker.env} are published as written in the fleet file
 * ({@code ${GITHUB_TOKEN}}), never resolved: the runner resolves them from its own
 * environment when it starts a container, so secrets never travel on a topic.
 *
 * <p>{@code tools} is null when the agent does not restrict the tool set (an
 * empty list means no tools). {@code timeoutMillis} is the job's wall-clock
 * limit ({@code timeout}, not in the original), null for none;
 * {@code sessionTimeoutMillis} is how long a kept session may be resumed after
 * its last use ({@code session.timeout}, herdctl's default 24h). {@code security} is
 * the agent's {@code security} block (not in the original): how the runner treats red
 * flags in the skills and MCP servers the agent can load.
 *
 * <p>{@code allowBypassWithoutDocker} is true only when the fleet file lists the
 * agent under {@code security.allow_bypass_without_docker}: without it, an agent
 * with {@code permissionMode} bypassPermissions and Docker off is refused, by
 * config-service when the fleet loads and again by the runner when a job starts
 * (a spec from an older producer, without the field, reads as false).
 */
public record AgentSpec(
        String qualifiedName,
        String name,
        List<String> fleetPath,
        String description,
        String sourceFile,
        String workingDirectory,
        String defaultPrompt,
        String systemPrompt,
        String model,
        Integer maxTurns,
        String permissionMode,
        Map<String, ScheduleSpec> schedules,
        DockerSpec docker,
        int maxConcurrent,
        List<String> tools,
        List<String> allowedTools,
        List<String> deniedTools,
        Map<String, Object> mcpServers,
        String timeout,
        Long timeoutMillis,
        Long sessionTimeoutMillis,
        boolean allowBypassWithoutDocker,
        SecuritySpec security) {

    public static final String BYPASS_PERMISSIONS = "bypassPermissions";

    public AgentSpec {
        Required.field(qualifiedName, "qualifiedName");
        Required.field(name, "name");
        Required.field(docker, "docker");
        fleetPath = fleetPath == null ? List.of() : List.copyOf(fleetPath);
        schedules = schedules == null ? Map.of() : Map.copyOf(schedules);
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
        deniedTools = deniedTools == null ? List.of() : List.copyOf(deniedTools);
        tools = tools == null ? null : List.copyOf(tools);
        mcpServers = mcpServers == null ? Map.of() : Map.copyOf(mcpServers);
        if (maxConcurrent < 1) {
            maxConcurrent = 1;
        }
        security = security == null ? SecuritySpec.DEFAULT : security;
    }

    /** The earlier shape, for callers that leave {@code security} at its defaults. */
    public AgentSpec(String qualifiedName, String name, List<String> fleetPath, String description, String sourceFile,
            String workingDirectory, String defaultPrompt, String systemPrompt, String model, Integer maxTurns,
            String permissionMode, Map<String, ScheduleSpec> schedules, DockerSpec docker, int maxConcurrent,
            List<String> tools, List<String> allowedTools, List<String> deniedTools, Map<String, Object> mcpServers,
            String timeout, Long timeoutMillis, Long sessionTimeoutMillis) {
        this(qualifiedName, name, fleetPath, description, sourceFile, workingDirectory, defaultPrompt, systemPrompt,
                model, maxTurns, permissionMode, schedules, docker, maxConcurrent, tools, allowedTools, deniedTools,
                mcpServers, timeout, timeoutMillis, sessionTimeoutMillis, false, null);
    }

    /** The shape before {@code security}: no allowance to bypass permissions without Docker at most. */
    public AgentSpec(String qualifiedName, String name, List<String> fleetPath, String description, String sourceFile,
            String workingDirectory, String defaultPrompt, String systemPrompt, String model, Integer maxTurns,
            String permissionMode, Map<String, ScheduleSpec> schedules, DockerSpec docker, int maxConcurrent,
            List<String> tools, List<String> allowedTools, List<String> deniedTools, Map<String, Object> mcpServers,
            String timeout, Long timeoutMillis, Long sessionTimeoutMillis, boolean allowBypassWithoutDocker) {
        this(qualifiedName, name, fleetPath, description, sourceFile, workingDirectory, defaultPrompt, systemPrompt,
                model, maxTurns, permissionMode, schedules, docker, maxConcurrent, tools, allowedTools, deniedTools,
                mcpServers, timeout, timeoutMillis, sessionTimeoutMillis, allowBypassWithoutDocker, null);
    }

    /** With a {@code security} block and no allowance to bypass permissions without Docker. */
    public AgentSpec(String qualifiedName, String name, List<String> fleetPath, String description, String sourceFile,
            String workingDirectory, String defaultPrompt, String systemPrompt, String model, Integer maxTurns,
            String permissionMode, Map<String, ScheduleSpec> schedules, DockerSpec docker, int maxConcurrent,
            List<String> tools, List<String> allowedTools, List<String> deniedTools, Map<String, Object> mcpServers,
            String timeout, Long timeoutMillis, Long sessionTimeoutMillis, SecuritySpec security) {
        this(qualifiedName, name, fleetPath, description, sourceFile, workingDirectory, defaultPrompt, systemPrompt,
                model, maxTurns, permissionMode, schedules, docker, maxConcurrent, tools, allowedTools, deniedTools,
                mcpServers, timeout, timeoutMillis, sessionTimeoutMillis, false, security);
    }

    /**
     * The {@code security} block. {@code skillScan} is what the runner does, right before
     * each job, with red flags in the skills and MCP servers the agent can load:
     * {@code off} (no scan), {@code warn} (each flag becomes an alert, the job runs) or
     * {@code block} (as warn, and a high or critical flag refuses the job before any
     * container starts). {@code allowedHosts} are hosts a skill may fetch from without
     * a flag, besides the guide's whitelist.
     */
    public record SecuritySpec(String skillScan, List<String> allowedHosts) {

        public static final String OFF = "off";
        public static final String WARN = "warn";
        public static final String BLOCK = "block";
        public static final SecuritySpec DEFAULT = new SecuritySpec(WARN, List.of());

        public SecuritySpec {
            skillScan = skillScan == null ? WARN : skillScan;
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        }
    }

    /**
     * Whether the agent runs with every permission prompt skipped and no container
     * around it: every command it decides on runs on the runner's host, unasked.
     */
    public boolean bypassesPermissionsWithoutDocker() {
        return BYPASS_PERMISSIONS.equals(permissionMode) && !docker.enabled();
    }

    /**
     * One entry of an agent's {@code schedules} map. {@code timezone} is the IANA
     * zone a cron schedule reads its wall clock in (the schedule's own, else the
     * agent's or the fleet default's); null means the scheduler's zone.
     * {@code overlap} is what a due slot does while the agent is at
     * {@code instances.max_concurrent}: {@code skip} it, {@code queue} until a job
     * ends, or {@code replace} (cancel the schedule's running jobs and fire).
     * {@code catchUp} is what slots missed while no scheduler ran do: {@code one}
     * fires the latest once, {@code none} fires none. {@code secretEnv} names the
     * environment variable holding a webhook schedule's HMAC secret (the fleet's
     * {@code webhooks.secret_env}); the secret itself never travels.
     */
    public record ScheduleSpec(String type, String interval, Long intervalMillis, String cron, String prompt,
            boolean enabled, boolean resumeSession, String timezone, String overlap, String catchUp,
            String secretEnv) {

        public static final String SKIP = "skip";
        public static final String QUEUE = "queue";
        public static final String REPLACE = "replace";

        public ScheduleSpec {
            Required.field(type, "type");
            overlap = overlap == null ? SKIP : overlap;
            catchUp = catchUp == null ? "one" : catchUp;
        }

        /** The earlier shape, for callers that leave the policies at their defaults. */
        public ScheduleSpec(String type, String interval, Long intervalMillis, String cron, String prompt,
                boolean enabled, boolean resumeSession, String timezone) {
            this(type, interval, intervalMillis, cron, prompt, enabled, resumeSession, timezone, null, null, null);
        }
    }

    /**
     * The docker block after merging. {@code memoryBytes} is {@code memory} parsed
     * (powers of 1024, as herdctl does); the fleet-level options (image, network,
     * user, volumes, ports, env, hostConfig) can only have come from the fleet file.
     */
    public record DockerSpec(
            boolean enabled,
            boolean ephemeral,
            String memory,
            long memoryBytes,
            Long cpuShares,
            Long cpuPeriod,
            Long cpuQuota,
            Long pidsLimit,
            List<String> tmpfs,
            Map<String, String> labels,
            int maxContainers,
            String workspaceMode,
            String image,
            String network,
            String user,
            List<String> volumes,
            List<String> ports,
            Map<String, String> env,
            Map<String, Object> hostConfig) {

        public DockerSpec {
            tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
            ports = ports == null ? List.of() : List.copyOf(ports);
            env = env == null ? Map.of() : Map.copyOf(env);
            hostConfig = hostConfig == null ? Map.of() : Map.copyOf(hostConfig);
        }
    }
}
