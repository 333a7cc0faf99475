package io.herdctl.config.fleet;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herdctl.events.AgentSpec;

/**
 * Turns a merged, checked agent into the published {@link AgentSpec}, applying
 * herdctl's schema defaults only to what neither the fleet nor the agent set.
 */
final class AgentSpecs {

    static final String DEFAULT_IMAGE = "herdctl/runtime:latest";
    static final String DEFAULT_MEMORY = "2g";
    static final String DEFAULT_PERMISSION_MODE = "acceptEdits";
    static final String DEFAULT_SESSION_TIMEOUT = "24h";

    private AgentSpecs() {
    }

    /** {@code name}, or {@code <fleet>.<name>} for an agent of a sub-fleet (nested: {@code <a>.<b>.<name>}). */
    static String qualifiedName(String name, List<String> fleetPath) {
        return fleetPath.isEmpty() ? name : String.join(".", fleetPath) + "." + name;
    }

    /**
     * @param webhookSecretEnv         the fleet's {@code webhooks.secret_env}, given to webhook schedules; or null
     * @param allowBypassWithoutDocker whether a fleet file lists the agent under
     *                                 {@code security.allow_bypass_without_docker}
     */
    static AgentSpec build(Map<String, Object> a, Path agentFile, List<String> fleetPath, String webhookSecretEnv,
            boolean allowBypassWithoutDocker) {
        String name = (String) a.get("name");
        String qualifiedName = qualifiedName(name, fleetPath);
        Map<String, Object> docker = map(a.get("docker"));
        String memory = str(docker.get("memory"), DEFAULT_MEMORY);
        AgentSpec.DockerSpec dockerSpec = new AgentSpec.DockerSpec(
                bool(docker.get("enabled"), false),
                bool(docker.get("ephemeral"), true),
                memory,
                MemorySize.parseBytes(memory),
                lng(docker.get("cpu_shares")),
                lng(docker.get("cpu_period")),
                lng(docker.get("cpu_quota")),
                lng(docker.get("pids_limit")),
                strings(docker.get("tmpfs")),
                stringMap(docker.get("labels")),
                (int) (long) lngOr(docker.get("max_containers"), 5L),
                str(docker.get("workspace_mode"), "rw"),
                str(docker.get("image"), DEFAULT_IMAGE),
                str(docker.get("network"), "bridge"),
                (String) docker.get("user"),
                strings(docker.get("volumes")),
                strings(docker.get("ports")),
                stringMap(docker.get("env")),
                map(docker.get("host_config")));

        Map<String, AgentSpec.ScheduleSpec> schedules = new LinkedHashMap<>();
        map(a.get("schedules")).forEach((scheduleName, value) -> {
            Map<String, Object> s = map(value);
            if (s.get("type") != null) {
                schedules.put(scheduleName, new AgentSpec.ScheduleSpec((String) s.get("type"), (String) s.get("interval"),
                        lng(s.get("interval_ms")), (String) s.get("cron"), (String) s.get("prompt"),
                        bool(s.get("enabled"), true), bool(s.get("resume_session"), false),
                        str(s.get("timezone"), (String) a.get("timezone")), (String) s.get("overlap"),
                        (String) s.get("catch_up"), "webhook".equals(s.get("type")) ? webhookSecretEnv : null));
            }
        });

        return new AgentSpec(qualifiedName, name, fleetPath, (String) a.get("description"),
                agentFile.toString(), workingDirectory(a.get("working_directory"), agentFile.getParent()),
                (String) a.get("default_prompt"), (String) a.get("system_prompt"), (String) a.get("model"),
                a.get("max_turns") == null ? null : (int) (long) lng(a.get("max_turns")),
                str(a.get("permission_mode"), DEFAULT_PERMISSION_MODE), schedules, dockerSpec,
                (int) (long) lngOr(map(a.get("instances")).get("max_concurrent"), 1L),
                strings(a.get("tools")), strings(a.get("allowed_tools")), strings(a.get("denied_tools")),
                map(a.get("mcp_servers")), (String) a.get("timeout"), HerdctlBlocks.timeoutMillis(a.get("timeout")),
                HerdctlBlocks.timeoutMillis(str(map(a.get("session")).get("timeout"), DEFAULT_SESSION_TIMEOUT)),
                allowBypassWithoutDocker, new AgentSpec.SecuritySpec((String) map(a.get("security")).get("skill_scan"),
                        strings(map(a.get("security")).get("allowed_hosts"))));
    }

    /** Absent: the agent file's directory; relative: against it (herdctl does not expand ~). */
    private static String workingDirectory(Object value, Path agentDir) {
        Object root = value instanceof Map<?, ?> m ? m.get("root") : value;
        if (root == null) {
            return agentDir.toString();
        }
        return agentDir.resolve(root.toString()).toAbsolutePath().normalize().toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? (List<String>) l : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, String>) m : null;
    }

    private static String str(Object o, String fallback) {
        return o == null ? fallback : o.toString();
    }

    private static boolean bool(Object o, boolean fallback) {
        return o instanceof Boolean b ? b : fallback;
    }

    private static Long lng(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    private static Long lngOr(Object o, Long fallback) {
        Long value = lng(o);
        return value == null ? fallback : value;
    }
}
