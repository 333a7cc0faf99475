package io.herdctl.events.skills;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.herdctl.events.Severity;

/**
 * One red flag the {@link SkillScanner} found in what an agent can load: a skill
 * file, a project {@code .mcp.json}, or an MCP server of the agent's configuration.
 *
 * <p>The runner reports each one as a line of the job's output, and audit-service
 * raises an alert for it; {@link #toEntry(String)} and {@link #fromEntry(Map)} are that
 * line's shape, kept here so both sides read it the same way. The entry carries the
 * flag under {@value #ENTRY_KEY}, a key the runner's parser of container output never
 * produces, so a job cannot forge one by printing it.
 *
 * @param kind     what was found ({@code env-exfiltration}, {@code pipe-to-shell}, ...)
 * @param source   {@link #SKILL} or {@link #MCP}
 * @param file     the file, absolute as the scanner read it (the agent file for a server of its {@code mcp_servers})
 * @param line     1-based; null for a server of the agent's configuration, whose place the loader knows
 * @param field    for an MCP server, its field ({@code mcp_servers.fs.args}); null for a skill file
 * @param snippet  the matching text, cut short, credentials masked
 * @param message  what it is and why it matters
 * @param fix      what to do about it
 */
public record RedFlag(String kind, String source, Severity severity, String file, Integer line, String field,
        String snippet, String message, String fix) {

    public static final String SKILL = "skill";
    public static final String MCP = "mcp";
    /** The output entry's subtype for a flag the runner reports. */
    public static final String SUBTYPE = "skill_scan";
    /** Where the entry holds the flag itself. */
    public static final String ENTRY_KEY = "red_flag";

    /** {@code file:line}, or {@code file (field)} for a configured server. */
    public String location() {
        return file + (line != null ? ":" + line : "") + (field != null ? " (" + field + ")" : "");
    }

    /** One line for people: where, what, the snippet. */
    public String describe() {
        return location() + ": " + kind + " (" + severity.wire() + "): " + message
                + (snippet == null || snippet.isEmpty() ? "" : " [" + snippet + "]");
    }

    /** The job-output entry that reports this flag ({@code type: system, subtype: skill_scan}). */
    public Map<String, Object> toEntry(String mode) {
        Map<String, Object> flag = new LinkedHashMap<>();
        flag.put("kind", kind);
        flag.put("source", source);
        flag.put("severity", severity.wire());
        flag.put("file", file);
        flag.put("line", line);
        flag.put("field", field);
        flag.put("snippet", snippet);
        flag.put("message", message);
        flag.put("fix", fix);
        flag.put("mode", mode);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", "system");
        entry.put("subtype", SUBTYPE);
        entry.put("content", "skill scan: " + describe());
        entry.put(ENTRY_KEY, flag);
        return entry;
    }

    /** The flag an output entry reports, if it is one; anything malformed is not one. */
    public static Optional<RedFlag> fromEntry(Map<String, Object> entry) {
        if (entry == null || !"system".equals(entry.get("type")) || !SUBTYPE.equals(entry.get("subtype"))
                || !(entry.get(ENTRY_KEY) instanceof Map<?, ?> flag)) {
            return Optional.empty();
        }
        if (!(flag.get("kind") instanceof String kind) || !(flag.get("file") instanceof String file)
                || !(flag.get("severity") instanceof String severity)) {
            return Optional.empty();
        }
        Severity s;
        try {
            s = Severity.fromWire(severity);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Integer line = flag.get("line") instanceof Number n ? n.intValue() : null;
        return Optional.of(new RedFlag(kind, text(flag.get("source")), s, file, line, text(flag.get("field")),
                text(flag.get("snippet")), text(flag.get("message")), text(flag.get("fix"))));
    }

    private static String text(Object o) {
        return o instanceof String s ? s : null;
    }
}
