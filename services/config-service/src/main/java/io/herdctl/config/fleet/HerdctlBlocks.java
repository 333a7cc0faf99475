package io.herdctl.config.fleet;

import static io.herdctl.config.fleet.ObjectRule.object;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * herdctl's configuration blocks other than docker and schedules, as strict
 * rules with herdctl's field names and messages. Blocks that this version does
 * not act on yet (chat, hooks, work sources) are still checked in full, so a
 * fleet that loads today keeps loading when they are acted on.
 */
final class HerdctlBlocks {

    private HerdctlBlocks() {
    }

    static final String NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9_-]*$";
    private static final Pattern TIMEOUT = Pattern.compile("^(\\d+(?:\\.\\d+)?)(s|m|h|d|w)$");

    // ---- agent blocks ---------------------------------------------------------------------------

    static final ObjectRule IDENTITY = object()
            .field("name", Rule.string()).field("role", Rule.string()).field("personality", Rule.string());

    /** A duration such as {@code "30m"}, {@code "24h"}, {@code "1.5h"}: herdctl's session timeout format. */
    static final Rule TIMEOUT_FIELD = Rule.stringWhere(s -> TIMEOUT.matcher(s).matches() ? null
            : "Invalid timeout format \"" + s + "\". Use a number and s, m, h, d or w (e.g., \"30m\", \"24h\", \"1.5h\")");

    /** An IANA time zone name such as {@code "Europe/Amsterdam"} or {@code "UTC"}. */
    static final Rule TIMEZONE = Rule.stringWhere(s -> {
        try {
            java.time.ZoneId.of(s);
            return null;
        } catch (java.time.DateTimeException e) {
            return "Unknown time zone \"" + s + "\". Use an IANA name such as \"Europe/Amsterdam\", \"America/New_York\" or \"UTC\"";
        }
    });

    static final ObjectRule SESSION = object()
            .field("max_turns", Rule.positiveInt())
            .field("timeout", TIMEOUT_FIELD)
            .field("model", Rule.string());

    /** Milliseconds of a value {@link #TIMEOUT_FIELD} accepted, or null for null. */
    static Long timeoutMillis(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        var m = TIMEOUT.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long unit = switch (m.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 604_800_000L;
        };
        return Math.round(Double.parseDouble(m.group(1)) * unit);
    }

    static final ObjectRule WORKING_DIRECTORY = object()
            .required("root", Rule.nonEmptyString())
            .field("auto_clone", Rule.bool())
            .field("clone_depth", Rule.positiveInt())
            .field("default_branch", Rule.nonEmptyString());

    static final Rule WORKING_DIRECTORY_FIELD = Rule.stringOr(Rule.nonEmptyString(), WORKING_DIRECTORY);

    private static final ObjectRule WORK_SOURCE_LABELS = object()
            .field("ready", Rule.string()).field("in_progress", Rule.string());

    static final Rule WORK_SOURCE = ObjectRule.byType(null,
            object().field("type", Rule.string()).field("labels", WORK_SOURCE_LABELS)
                    .field("cleanup_in_progress", Rule.bool()),
            "github", object()
            .field("type", Rule.string())
            .required("repo", Rule.matching("^[a-zA-Z0-9_.-]+/[a-zA-Z0-9_.-]+$",
                    "Repository must be in 'owner/repo' format (e.g., 'octocat/hello-world')"))
            .field("labels", WORK_SOURCE_LABELS)
            .field("exclude_labels", Rule.stringList())
            .field("cleanup_on_failure", Rule.bool())
            .field("cleanup_in_progress", Rule.bool())
            .field("auth", object().field("token_env", Rule.nonEmptyString())));

    static final Rule MCP_SERVER = object()
            .field("type", Rule.oneOf("stdio", "sse", "http"))
            .field("command", Rule.nonEmptyString())
            .field("args", Rule.stringList())
            .field("env", Rule.stringMap())
            .field("url", Rule.url())
            .field("headers", Rule.stringMap())
            .field("timeout", Rule.positiveInt())
            .field("alwaysLoad", Rule.bool())
            .crossCheck((node, values, path, f) -> {
                Object type = values.get("type");
                boolean remote = "sse".equals(type) || "http".equals(type) || type == null && values.containsKey("url");
                if (remote && !values.containsKey("url")) {
                    f.problems().error(node.pos(), Paths.child(path, "url"), "an " + type + " MCP server needs \"url\"");
                } else if (!remote && !values.containsKey("command")) {
                    f.problems().error(node.pos(), Paths.child(path, "command"),
                            "a stdio MCP server needs \"command\" (or give \"url\" for an http/sse server)");
                }
            });

    static final Rule MCP_SERVERS = Rule.mapOf(MCP_SERVER);

    static final Rule PLUGINS = Rule.list(Rule.stringOr(Rule.nonEmptyString(), object()
            .field("type", Rule.oneOf("local"))
            .required("path", Rule.nonEmptyString())
            .field("skipMcpDiscovery", Rule.bool())));

    // ---- hooks ----------------------------------------------------------------------------------

    private static ObjectRule hook() {
        return object()
                .field("type", Rule.string())
                .field("name", Rule.string())
                .field("continue_on_error", Rule.bool())
                .field("on_events", Rule.list(Rule.oneOf("completed", "failed", "timeout", "cancelled")))
                .field("when", Rule.nonEmptyString());
    }

    private static final Rule HOOK = ObjectRule.byType(null, null,
            "shell", hook().required("command", Rule.nonEmptyString()).field("timeout", Rule.positiveInt()),
            "webhook", hook().required("url", Rule.url()).field("method", Rule.oneOf("POST", "PUT"))
                    .field("headers", Rule.stringMap()).field("timeout", Rule.positiveInt()),
            "discord", hook().required("channel_id", Rule.nonEmptyString()).required("bot_token_env", Rule.nonEmptyString()),
            "slack", hook().required("channel_id", Rule.nonEmptyString()).field("bot_token_env", Rule.nonEmptyString()));

    static final ObjectRule HOOKS = object().field("after_run", Rule.list(HOOK)).field("on_error", Rule.list(HOOK));

    // ---- chat -----------------------------------------------------------------------------------

    private static final Rule CHANNEL_MODE = Rule.oneOf("mention", "auto");
    private static final Rule LOG_LEVEL = Rule.oneOf("minimal", "standard", "verbose");

    private static final ObjectRule CHAT_OUTPUT = object()
            .field("tool_results", Rule.bool())
            .field("tool_result_max_length", Rule.intAtMost(1000))
            .field("system_status", Rule.bool())
            .field("errors", Rule.bool())
            .field("result_summary", Rule.bool())
            .field("typing_indicator", Rule.bool())
            .field("acknowledge_emoji", Rule.string())
            .field("assistant_messages", Rule.oneOf("answers", "all"))
            .field("progress_indicator", Rule.bool());

    private static final ObjectRule CHANNEL = object()
            .required("id", Rule.nonEmptyString())
            .field("name", Rule.string())
            .field("mode", CHANNEL_MODE)
            .field("context_messages", Rule.nonNegativeInt());

    private static final ObjectRule DM = object()
            .field("enabled", Rule.bool())
            .field("mode", CHANNEL_MODE)
            .field("allowlist", Rule.stringList())
            .field("blocklist", Rule.stringList());

    private static final ObjectRule DISCORD = object()
            .required("bot_token_env", Rule.nonEmptyString())
            .field("session_expiry_hours", Rule.positiveInt())
            .field("log_level", LOG_LEVEL)
            .field("output", CHAT_OUTPUT)
            .field("presence", object().field("activity_type", Rule.oneOf("playing", "watching", "listening", "competing"))
                    .field("activity_message", Rule.string()))
            .required("guilds", Rule.list(object()
                    .required("id", Rule.nonEmptyString())
                    .field("channels", Rule.list(CHANNEL))
                    .field("default_channel_mode", CHANNEL_MODE)
                    .field("dm", DM)))
            .field("dm", DM)
            .field("voice", object().field("enabled", Rule.bool()).field("provider", Rule.oneOf("openai"))
                    .field("api_key_env", Rule.nonEmptyString()).field("model", Rule.nonEmptyString())
                    .field("language", Rule.string()))
            .field("attachments", object()
                    .field("enabled", Rule.bool())
                    .field("max_file_size_mb", Rule.positiveInt())
                    .field("max_files_per_message", Rule.positiveInt())
                    .field("allowed_types", Rule.stringList())
                    .field("download_dir", Rule.stringWhere(d -> d.startsWith("/") || List.of(d.split("[/\\\\]")).contains("..")
                            ? "download_dir must be a relative path without '..' segments" : null))
                    .field("cleanup_after_processing", Rule.bool()))
            .field("command_registration", object()
                    .field("scope", Rule.oneOf("global", "guild"))
                    .field("guild_id", Rule.nonEmptyString())
                    .crossCheck((node, values, path, f) -> {
                        if ("guild".equals(values.get("scope")) && !values.containsKey("guild_id")) {
                            f.problems().error(node.pos(), Paths.child(path, "guild_id"),
                                    "guild_id is required when scope is 'guild'");
                        }
                    }))
            .field("skills", Rule.list(object().required("name", Rule.nonEmptyString())
                    .field("description", Rule.string())));

    private static final ObjectRule SLACK = object()
            .field("bot_token_env", Rule.nonEmptyString())
            .field("app_token_env", Rule.nonEmptyString())
            .field("session_expiry_hours", Rule.positiveInt())
            .field("log_level", LOG_LEVEL)
            .required("channels", Rule.list(CHANNEL))
            .field("dm", DM)
            .field("output", CHAT_OUTPUT);

    static final ObjectRule CHAT = object().field("discord", DISCORD).field("slack", SLACK);

    // ---- fleet blocks ---------------------------------------------------------------------------

    static final ObjectRule FLEET_INFO = object()
            .field("name", Rule.matching(NAME_PATTERN, "Fleet name must start with a letter or number and contain only "
                    + "letters, numbers, underscores, and hyphens (no dots)"))
            .field("description", Rule.string());

    private static final java.util.regex.Pattern ENV_REFERENCE =
            java.util.regex.Pattern.compile("^\\$\\{[A-Za-z_][A-Za-z0-9_]*}$");

    static final ObjectRule WEB = object()
            .field("enabled", Rule.bool())
            .field("port", Rule.intAtMost(65535))
            .field("host", Rule.nonEmptyString())
            .field("session_expiry_hours", Rule.positiveInt())
            .field("open_browser", Rule.bool())
            .field("tool_results", Rule.bool())
            .field("message_grouping", Rule.oneOf("separate", "grouped"))
            // Not in herdctl: how the dashboard authenticates (see the dashboard-service README).
            .field("auth", Rule.oneOf("none", "proxy", "token"))
            // The value is never repeated in the error: it may be the token itself.
            .field("auth_token", Rule.stringWhere(v -> ENV_REFERENCE.matcher(v).matches() ? null : "auth_token names "
                    + "an environment variable as ${NAME} (set in the environment or .env); a token written in the fleet"
                    + " file would sit in clear in version control"))
            .field("trusted_proxies", Rule.stringList())
            .field("allowed_groups", Rule.stringList());

    static final ObjectRule WEBHOOKS = object()
            .field("enabled", Rule.bool())
            .field("port", Rule.intAtMost(65535))
            .field("secret_env", Rule.matching("^[A-Za-z_][A-Za-z0-9_]*$",
                    "secret_env names an environment variable (letters, digits, underscores)"));

    /** Fields of a checked mapping as plain values, for callers that build on them. */
    static Map<String, Object> values(Object checked) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = checked instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
        return m;
    }
}
