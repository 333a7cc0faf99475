package io.herdctl.config.fleet;

import static io.herdctl.config.fleet.ObjectRule.object;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.herdctl.events.CronExpression;

/**
 * The fields of an agent, as written in an agent file, in {@code defaults:} or in
 * {@code agents[].overrides}. Field names, rules and messages follow herdctl; the
 * result keeps herdctl's snake_case keys with checked values, so the merge works
 * on exactly what the user wrote and schema defaults are applied only after it.
 */
final class AgentSchema {

    /** Where a block of agent fields comes from; it decides what may appear. */
    enum Source {
        /** An agent file: name required, only the safe docker options. */
        AGENT_FILE,
        /** The fleet file's {@code defaults:}: no identity fields, every docker option. */
        DEFAULTS,
        /** The fleet file's {@code agents[].overrides}: every field but the name, every docker option. */
        OVERRIDES
    }

    static final Pattern NAME = Pattern.compile(HerdctlBlocks.NAME_PATTERN);
    static final String NAME_MESSAGE = "Agent name must start with a letter or number and contain only letters, "
            + "numbers, underscores, and hyphens";
    private static final String WORKSPACE_MESSAGE = "uses deprecated \"workspace\" field. Use \"working_directory\" instead.";

    private static final ObjectRule SCHEDULE = object()
            .required("type", Rule.oneOf("interval", "cron", "webhook", "chat"))
            .field("interval", Rule.parsedBy(IntervalParser::parseMillis))
            .field("cron", Rule.parsedBy(CronExpression::parse))
            .deprecated("expression", "cron")
            .field("prompt", Rule.string())
            .field("work_source", HerdctlBlocks.WORK_SOURCE)
            .field("outputToFile", Rule.bool())
            .field("enabled", Rule.bool())
            .field("resume_session", Rule.bool())
            .field("timezone", HerdctlBlocks.TIMEZONE)
            .field("overlap", Rule.oneOf("skip", "queue", "replace"))
            .field("catch_up", Rule.oneOf("none", "one"))
            .crossCheck((node, values, path, f) -> {
                Object type = values.get("type");
                if ("interval".equals(type) && !values.containsKey("interval")) {
                    f.problems().error(node.pos(), Paths.child(path, "interval"),
                            "an interval schedule needs \"interval\" (e.g. \"5m\", \"1h\")");
                } else if ("cron".equals(type) && !values.containsKey("cron")) {
                    f.problems().error(node.pos(), Paths.child(path, "cron"), "a cron schedule needs \"cron\" (e.g. \"0 9 * * *\")");
                } else if (values.get("interval") instanceof String interval) {
                    values.put("interval_ms", IntervalParser.parseMillis(interval));
                }
                if ("chat".equals(type)) {
                    f.problems().warning(node.get("type").pos(), Paths.child(path, "type"), "\"" + type
                            + "\" schedules are accepted but not fired by this version; interval, cron and webhook "
                            + "schedules fire");
                }
            });

    /** The fields every source may set, but for docker, whose tier depends on the source. */
    private static ObjectRule shared() {
        return object()
                .field("working_directory", HerdctlBlocks.WORKING_DIRECTORY_FIELD)
                .deprecated("workspace", "working_directory", WORKSPACE_MESSAGE)
                .field("work_source", HerdctlBlocks.WORK_SOURCE)
                .field("session", HerdctlBlocks.SESSION)
                .field("mcp_servers", HerdctlBlocks.MCP_SERVERS)
                .field("plugins", HerdctlBlocks.PLUGINS)
                .field("instances", object().field("max_concurrent", Rule.positiveInt()))
                .field("timeout", HerdctlBlocks.TIMEOUT_FIELD)
                .field("timezone", HerdctlBlocks.TIMEZONE)
                .field("model", Rule.string())
                .field("max_turns", Rule.positiveInt())
                .field("permission_mode", Rule.oneOf("default", "acceptEdits", "bypassPermissions", "plan", "delegate",
                        "dontAsk"))
                .field("tools", Rule.stringList())
                .field("allowed_tools", Rule.stringList())
                .field("denied_tools", Rule.stringList());
    }

    /** Everything an agent file may say about itself, but its name and docker block. */
    private static ObjectRule agent() {
        return shared()
                .field("description", Rule.string())
                .field("repo", Rule.string())
                .field("identity", HerdctlBlocks.IDENTITY)
                .field("system_prompt", Rule.string())
                .field("default_prompt", Rule.string())
                .field("schedules", Rule.mapOf(SCHEDULE))
                .field("chat", HerdctlBlocks.CHAT)
                .field("hooks", HerdctlBlocks.HOOKS)
                .field("metadata_file", Rule.string())
                .field("setting_sources", Rule.list(Rule.oneOf("user", "project", "local")))
                .field("runtime", Rule.oneOf("sdk", "cli"));
    }

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "(?i)^(?:\\*\\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$");

    /**
     * The {@code security} block in the fleet file ({@code defaults}, {@code agents[].overrides}): how the runner
     * treats red flags in the skills and MCP servers an agent can load, and the hosts a skill may fetch from.
     */
    private static final ObjectRule SECURITY_FLEET = object()
            .field("skill_scan", scanMode(v -> List.of("off", "warn", "block").contains(v) ? null
                    : "\"" + v + "\" is not allowed; expected one of: off, warn, block"))
            .field("allowed_hosts", Rule.list(Rule.stringWhere(h -> HOST.matcher(h).matches() ? null
                    : "expected a host name such as downloads.example.com (its sub-domains are included), got \""
                            + h + "\"")));

    /**
     * In an agent file the scan can only be made stricter: an agent that can write its own file (a working
     * directory holding it) must not be able to switch off what watches its skills, or widen where they fetch from.
     */
    private static final ObjectRule SECURITY_AGENT = object()
            .field("skill_scan", scanMode(v -> v.equals("block") ? null : v.equals("off") || v.equals("warn")
                    ? "an agent file may only tighten the scan (skill_scan: block); \"" + v + "\" belongs in the fleet "
                            + "file (defaults.security.skill_scan or agents[].overrides.security.skill_scan), so an agent "
                            + "that can edit its own file cannot turn its scan down"
                    : "\"" + v + "\" is not allowed; expected one of: off, warn, block"))
            .refused("allowed_hosts", "\"allowed_hosts\" is a fleet-level security option and cannot be set in an "
                    + "agent file; set it in the fleet file under defaults.security or agents[].overrides.security");

    /**
     * A scan mode; YAML 1.1 reads an unquoted {@code off} as a boolean, which here can only mean the mode of
     * that name. {@code check} returns an error message or null.
     */
    private static Rule scanMode(java.util.function.Function<String, String> check) {
        Rule mode = Rule.stringWhere(check);
        return (n, p, f) -> n instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.BOOL
                && s.text().strip().equalsIgnoreCase("off")
                ? mode.check(new YamlTree.Scalar(s.pos(), "off", YamlTree.ScalarType.STRING), p, f)
                : mode.check(n, p, f);
    }

    private static Rule docker(DockerSchema.Level level) {
        return (n, p, f) -> f.map(n, p).map(m -> DockerSchema.check(m, p, level, f));
    }

    private static final ObjectRule AGENT_FILE = agent()
            .required("name", Rule.matching(HerdctlBlocks.NAME_PATTERN, NAME_MESSAGE))
            .field("docker", docker(DockerSchema.Level.AGENT))
            .field("security", SECURITY_AGENT);

    private static final ObjectRule OVERRIDES = agent()
            .field("docker", docker(DockerSchema.Level.FLEET))
            .field("security", SECURITY_FLEET)
            .refused("name", "an agent's name cannot be overridden; rename it in its agent file");

    private static final ObjectRule DEFAULTS = shared()
            .field("docker", docker(DockerSchema.Level.FLEET))
            .field("security", SECURITY_FLEET);

    private AgentSchema() {
    }

    static Map<String, Object> check(YamlTree.MapNode root, String path, Source source, Fields f) {
        ObjectRule rule = switch (source) {
            case AGENT_FILE -> AGENT_FILE;
            case DEFAULTS -> DEFAULTS;
            case OVERRIDES -> OVERRIDES;
        };
        return rule.checkMap(root, path, f);
    }
}
