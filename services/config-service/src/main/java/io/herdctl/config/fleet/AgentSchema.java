package io.herdctl.config.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_-]*$");
    static final String NAME_MESSAGE = "Agent name must start with a letter or number and contain only letters, "
            + "numbers, underscores, and hyphens";
    static final List<String> PERMISSION_MODES = List.of("default", "acceptEdits", "bypassPermissions", "plan",
            "delegate", "dontAsk");
    static final List<String> SCHEDULE_TYPES = List.of("interval", "cron", "webhook", "chat");

    static final Set<String> AGENT_FIELDS = Fields.keys("name", "description", "working_directory", "repo", "identity",
            "system_prompt", "default_prompt", "work_source", "schedules", "session", "mcp_servers", "plugins", "chat",
            "hooks", "docker", "instances", "model", "max_turns", "permission_mode", "tools", "allowed_tools",
            "denied_tools", "metadata_file", "setting_sources", "runtime", "workspace");
    static final Set<String> DEFAULT_FIELDS = Fields.keys("docker", "work_source", "instances", "working_directory",
            "session", "model", "max_turns", "permission_mode", "tools", "allowed_tools", "denied_tools", "mcp_servers",
            "plugins", "workspace");
    private static final Set<String> SCHEDULE_FIELDS = Fields.keys("type", "interval", "cron", "expression", "prompt",
            "work_source", "outputToFile", "enabled", "resume_session");

    private AgentSchema() {
    }

    static Map<String, Object> check(YamlTree.MapNode root, String path, Source source, Fields f) {
        Set<String> allowed = source == Source.DEFAULTS ? DEFAULT_FIELDS : AGENT_FIELDS;
        f.knownKeys(root, path, allowed, key -> source == Source.OVERRIDES && key.equals("name")
                ? "an agent's name cannot be overridden; rename it in its agent file" : null);
        Map<String, Object> out = new LinkedHashMap<>();
        root.entries().forEach((key, e) -> {
            if (allowed.contains(key) && !(source == Source.OVERRIDES && key.equals("name"))) {
                checkField(key, e, Paths.child(path, key), source, f, out);
            }
        });
        if (source == Source.AGENT_FILE && root.get("name") == null) {
            f.problems().error(root.pos(), Paths.child(path, "name"), "Invalid input: expected string, received undefined"
                    + " (every agent file needs a name)");
        }
        if (out.containsKey("workspace")) {
            Object workspace = out.remove("workspace");
            f.problems().warning(root.entries().get("workspace").keyPos(), Paths.child(path, "workspace"),
                    "uses deprecated \"workspace\" field. Use \"working_directory\" instead.");
            out.putIfAbsent("working_directory", workspace);
        }
        return out;
    }

    private static void checkField(String key, YamlTree.Entry e, String p, Source source, Fields f, Map<String, Object> out) {
        YamlTree.Node v = e.value();
        switch (key) {
            case "name" -> f.string(v, p).ifPresent(name -> {
                if (NAME.matcher(name).matches()) {
                    out.put(key, name);
                } else {
                    f.problems().error(v.pos(), p, NAME_MESSAGE + " (got \"" + name + "\")");
                }
            });
            case "description", "system_prompt", "default_prompt", "model", "metadata_file", "repo" ->
                    f.string(v, p).ifPresent(s -> out.put(key, s));
            case "working_directory", "workspace" -> HerdctlBlocks.WORKING_DIRECTORY_FIELD.check(v, p, f)
                    .ifPresent(wd -> out.put(key, wd));
            case "schedules" -> f.map(v, p).ifPresent(m -> out.put(key, schedules(m, p, f)));
            case "docker" -> f.map(v, p).ifPresent(m -> out.put(key, DockerSchema.check(m, p,
                    source == Source.AGENT_FILE ? DockerSchema.Level.AGENT : DockerSchema.Level.FLEET, f)));
            case "instances" -> f.map(v, p).ifPresent(m -> {
                f.knownKeys(m, p, List.of("max_concurrent"), null);
                Map<String, Object> instances = new LinkedHashMap<>();
                YamlTree.Node max = m.get("max_concurrent");
                if (max != null) {
                    f.positiveInt(max, Paths.child(p, "max_concurrent")).ifPresent(n -> instances.put("max_concurrent", n));
                }
                out.put(key, instances);
            });
            case "max_turns" -> f.positiveInt(v, p).ifPresent(n -> out.put(key, n));
            case "permission_mode" -> f.oneOf(v, p, PERMISSION_MODES).ifPresent(s -> out.put(key, s));
            case "runtime" -> f.oneOf(v, p, List.of("sdk", "cli")).ifPresent(s -> out.put(key, s));
            case "tools", "allowed_tools", "denied_tools" -> f.stringList(v, p).ifPresent(l -> out.put(key, l));
            case "setting_sources" -> f.list(v, p).ifPresent(l -> {
                List<String> sources = new java.util.ArrayList<>();
                for (int i = 0; i < l.items().size(); i++) {
                    f.oneOf(l.items().get(i), Paths.index(p, i), List.of("user", "project", "local")).ifPresent(sources::add);
                }
                out.put(key, sources);
            });
            case "plugins" -> HerdctlBlocks.PLUGINS.check(v, p, f).ifPresent(x -> out.put(key, x));
            case "identity" -> HerdctlBlocks.IDENTITY.check(v, p, f).ifPresent(x -> out.put(key, x));
            case "session" -> HerdctlBlocks.SESSION.check(v, p, f).ifPresent(x -> out.put(key, x));
            case "mcp_servers" -> HerdctlBlocks.MCP_SERVERS.check(v, p, f).ifPresent(x -> out.put(key, x));
            case "chat" -> HerdctlBlocks.CHAT.check(v, p, f).ifPresent(x -> out.put(key, x));
            case "hooks" -> HerdctlBlocks.HOOKS.check(v, p, f).ifPresent(x -> out.put(key, x));
            case "work_source" -> HerdctlBlocks.WORK_SOURCE.check(v, p, f).ifPresent(x -> out.put(key, x));
            default -> throw new IllegalStateException("unhandled agent field " + key);
        }
    }

    private static java.util.Optional<String> cron(YamlTree.Node node, String path, Fields f) {
        return f.string(node, path).filter(c -> {
            try {
                io.herdctl.events.CronExpression.parse(c);
                return true;
            } catch (io.herdctl.events.CronExpression.CronException e) {
                f.problems().error(node.pos(), path, e.getMessage());
                return false;
            }
        });
    }

    private static Map<String, Object> schedules(YamlTree.MapNode schedules, String path, Fields f) {
        Map<String, Object> out = new LinkedHashMap<>();
        schedules.entries().forEach((name, e) -> {
            String p = Paths.child(path, name);
            f.map(e.value(), p).ifPresent(s -> {
                f.knownKeys(s, p, SCHEDULE_FIELDS, null);
                Map<String, Object> schedule = new LinkedHashMap<>();
                YamlTree.Node type = s.get("type");
                if (type == null) {
                    f.problems().error(s.pos(), Paths.child(p, "type"), "schedule type is required; expected one of: "
                            + String.join(", ", SCHEDULE_TYPES));
                } else {
                    f.oneOf(type, Paths.child(p, "type"), SCHEDULE_TYPES).ifPresent(t -> schedule.put("type", t));
                }
                s.entries().forEach((k, field) -> {
                    String fp = Paths.child(p, k);
                    switch (k) {
                        case "interval" -> f.string(field.value(), fp).ifPresent(i -> {
                            try {
                                schedule.put("interval_ms", IntervalParser.parseMillis(i));
                                schedule.put("interval", i);
                            } catch (IntervalParser.IntervalException ex) {
                                f.problems().error(field.value().pos(), fp, ex.getMessage());
                            }
                        });
                        case "prompt" -> f.string(field.value(), fp).ifPresent(x -> schedule.put(k, x));
                        case "cron" -> cron(field.value(), fp, f).ifPresent(x -> schedule.put(k, x));
                        case "expression" -> cron(field.value(), fp, f).ifPresent(x -> {
                            f.problems().warning(field.keyPos(), fp, "\"expression\" is deprecated; use \"cron\" instead"
                                    + (s.get("cron") != null ? " (both are set: \"cron\" wins)" : ""));
                            schedule.putIfAbsent("cron", x);
                        });
                        case "enabled", "outputToFile", "resume_session" -> f.bool(field.value(), fp).ifPresent(b -> schedule.put(k, b));
                        case "work_source" -> HerdctlBlocks.WORK_SOURCE.check(field.value(), fp, f)
                                .ifPresent(x -> schedule.put(k, x));
                        default -> {
                            // "type" is read above; unknown keys were reported by knownKeys.
                        }
                    }
                });
                Object t = schedule.get("type");
                if ("interval".equals(t) && s.get("interval") == null) {
                    f.problems().error(s.pos(), Paths.child(p, "interval"), "an interval schedule needs \"interval\" "
                            + "(e.g. \"5m\", \"1h\")");
                }
                if ("cron".equals(t) && s.get("cron") == null && s.get("expression") == null) {
                    f.problems().error(s.pos(), Paths.child(p, "cron"), "a cron schedule needs \"cron\" (e.g. \"0 9 * * *\")");
                }
                if (t != null && !"interval".equals(t)) {
                    f.problems().warning(type.pos(), Paths.child(p, "type"), "\"" + t
                            + "\" schedules are accepted but not fired by this version; only interval schedules fire");
                }
                out.put(name, schedule);
            });
        });
        return out;
    }
}
