package io.herdctl.config.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.herdctl.config.fleet.FieldOrigin;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.skills.RedFlag;
import io.herdctl.events.skills.SkillScanner;

/**
 * The guide's "audit skill code before installation", for what each agent can load
 * today: its project's {@code .claude/skills}, the global skills its container gets
 * (the {@code ~/.claude} the runner keeps for it between jobs, a volume mounted at
 * the container's home; on the host, the user's own), a project {@code .mcp.json},
 * and the MCP servers of its configuration. The scan is {@link SkillScanner}'s, the
 * same the runner runs before each job, so what the doctor reports is what
 * {@code security.skill_scan} acts on.
 *
 * <p>Unpinned packages of the agent's {@code mcp_servers} are {@code mcp-unpinned}'s
 * and not repeated here; those of a {@code .mcp.json} are reported here.
 */
final class SkillChecks {

    static final String SKILL_RED_FLAG = "skill-red-flag";
    static final String MCP_RED_FLAG = "mcp-red-flag";

    /** Where the runner keeps state when it runs from the fleet directory, as {@code ./herdctl up} does. */
    private static final String SESSIONS = ".herdctl/sessions";

    private final Path userHome;

    /** @param userHome whose {@code ~/.claude/skills} an agent without Docker loads; null when unknown */
    SkillChecks(Path userHome) {
        this.userHome = userHome;
    }

    void check(AgentView a, Path fleetDir, Findings out) {
        AgentSpec spec = a.spec();
        Path kept = SkillScanner.keptHome(fleetDir.resolve(SESSIONS), spec.qualifiedName());
        List<SkillScanner.Root> roots = SkillScanner.roots(spec, Files.isDirectory(kept) ? kept : null, userHome);
        String agentFile = spec.sourceFile();
        SkillScanner.Result result = SkillScanner.forAgent(spec).scan(roots,
                spec.workingDirectory() == null ? null : Path.of(spec.workingDirectory()), spec.mcpServers(), agentFile);

        FieldOrigin mode = a.at("security", "skill_scan");
        int skills = 0;
        int mcp = 0;
        for (RedFlag f : result.flags()) {
            boolean configured = f.line() == null && agentFile.equals(f.file());
            if (configured && f.kind().equals(SkillScanner.Kind.UNPINNED_PACKAGE.id())) {
                continue; // mcp-unpinned says it
            }
            String id = f.source().equals(RedFlag.MCP) ? MCP_RED_FLAG : SKILL_RED_FLAG;
            FieldOrigin where = configured ? a.at(keys(f.field()))
                    : new FieldOrigin(label(fleetDir, f.file()), f.line(), null, f.field(), null, null, false);
            out.agent(id, Severity.valueOf(f.severity().name()), a, where, f.kind() + ": " + f.message()
                    + (f.snippet() == null ? "" : " (" + f.snippet() + ")") + consequence(spec, f), f.fix());
            if (id.equals(MCP_RED_FLAG)) {
                mcp++;
            } else {
                skills++;
            }
        }
        for (String note : result.notes()) {
            if (note.contains(".mcp.json")) {
                out.agent(MCP_RED_FLAG, Severity.INFO, a, mode, "not scanned: " + note, "fix or remove the file");
                mcp++;
            } else {
                out.agent(SKILL_RED_FLAG, Severity.INFO, a, mode, "not scanned: " + note, "keep skills small, as "
                        + "plain files inside the directory they belong to");
                skills++;
            }
        }
        String scanned = result.filesScanned() + " file(s) scanned in " + roots.stream()
                .map(SkillScanner.Root::label).collect(Collectors.joining(", ")) + "; the runner scans again before "
                + "each job (security.skill_scan: " + spec.security().skillScan() + ")";
        if (skills == 0) {
            out.agent(SKILL_RED_FLAG, Severity.OK, a, mode, "no red flag in the agent's skills: " + scanned, null);
        }
        if (mcp == 0) {
            out.agent(MCP_RED_FLAG, Severity.OK, a, mode, "no red flag in the agent's MCP servers"
                    + (Files.isRegularFile(Path.of(spec.workingDirectory(), ".mcp.json")) ? " or its .mcp.json" : ""),
                    null);
        }
    }

    /** What the runner will do about it, as the agent is configured. */
    private static String consequence(AgentSpec spec, RedFlag f) {
        boolean blocking = f.severity().compareTo(io.herdctl.events.Severity.HIGH) >= 0;
        return switch (spec.security().skillScan()) {
            case AgentSpec.SecuritySpec.OFF -> "; the runner does not scan this agent (security.skill_scan: off)";
            case AgentSpec.SecuritySpec.BLOCK -> blocking ? "; the runner refuses the agent's jobs while it is there "
                    + "(security.skill_scan: block)" : "; each job raises an alert for it";
            default -> "; each job raises an alert for it" + (blocking ? " (security.skill_scan: block would refuse "
                    + "the job)" : "");
        };
    }

    private static String label(Path fleetDir, String file) {
        Path f = Path.of(file).toAbsolutePath().normalize();
        Path d = fleetDir.toAbsolutePath().normalize();
        return f.startsWith(d) ? d.relativize(f).toString() : f.toString();
    }

    /** {@code mcp_servers.<name>.<field>} as keys; a server's name may hold dots. */
    private static String[] keys(String field) {
        int first = field.indexOf('.');
        int last = field.lastIndexOf('.');
        return new String[] {field.substring(0, first), field.substring(first + 1, last), field.substring(last + 1)};
    }
}
