package io.herdctl.audit.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventIds;
import io.herdctl.events.Severity;
import io.herdctl.events.WorkspaceChanges;

/**
 * The {@code workspace-sensitive-change} alert: a job changed a file in its git
 * workspace that decides how agents run, or runs code somewhere else: its own or
 * the fleet's configuration, Claude Code's settings, skills and hooks, CI
 * workflows, environment files, git hooks and config. Not a rule of the rules file
 * (it reads the job's workspace changes, not its output), but raised, stored and
 * published like one: one alert per file, {@code seq} 0, its id derived from job
 * and path, so a status read again raises the same alerts.
 */
public final class WorkspaceAlerts {

    public static final String RULE_ID = "workspace-sensitive-change";
    /** The OCSF evidence's {@code line_type} of a workspace alert. */
    public static final String LINE_TYPE = "workspace";

    private static final Pattern AGENT_FILE = Pattern.compile("(^|.*/)agents/[^/]+\\.ya?ml$");

    /** Why a path is sensitive, and how much. */
    public record Reason(String words, Severity severity) {
    }

    private WorkspaceAlerts() {
    }

    /**
     * Why changing {@code path} matters, or null when it is an ordinary file.
     *
     * @param agentFile the agent's own configuration file relative to the repository's root, or null
     */
    public static Reason sensitive(String path, String agentFile) {
        String p = path.toLowerCase(Locale.ROOT);
        String name = p.substring(p.lastIndexOf('/') + 1);
        if (path.equals(agentFile)) {
            return new Reason("the agent's own configuration file", Severity.CRITICAL);
        }
        if (name.equals("herdctl.yaml") || name.equals("herdctl.yml")) {
            return new Reason("fleet configuration", Severity.CRITICAL);
        }
        if (p.startsWith(".git/hooks/")) {
            return new Reason("a git hook", Severity.CRITICAL);
        }
        if (p.equals(".git/config")) {
            return new Reason("the repository's git config, which can name programs git runs", Severity.CRITICAL);
        }
        if (p.startsWith(".git/")) {
            return new Reason("the repository's own git files", Severity.HIGH);
        }
        if (AGENT_FILE.matcher(p).matches()) {
            return new Reason("an agent configuration file", Severity.HIGH);
        }
        if (p.startsWith(".claude/") || p.contains("/.claude/")) {
            return new Reason("Claude Code settings, skills or hooks", Severity.HIGH);
        }
        if (name.equals(".mcp.json")) {
            return new Reason("MCP server configuration", Severity.HIGH);
        }
        if (p.startsWith(".github/workflows/")) {
            return new Reason("a CI workflow", Severity.HIGH);
        }
        if (name.equals(".gitlab-ci.yml")) {
            return new Reason("a CI pipeline", Severity.HIGH);
        }
        if (p.startsWith(".husky/") || p.startsWith(".githooks/")) {
            return new Reason("git hooks kept in the repository", Severity.HIGH);
        }
        if (name.startsWith(".env")) {
            return new Reason("an environment file", Severity.MEDIUM);
        }
        return null;
    }

    /** One alert per sensitive file the job changed; masked by {@code redact}. */
    public static List<AuditAlertRaised> of(String jobId, String agent, WorkspaceChanges changes,
            UnaryOperator<String> redact, Instant lineTime, Instant now) {
        List<AuditAlertRaised> alerts = new ArrayList<>();
        for (WorkspaceChanges.ChangedFile file : changes.files()) {
            Reason reason = sensitive(file.path(), changes.agentFile());
            if (reason == null) {
                continue;
            }
            String path = redact.apply(file.path());
            String excerpt = redact.apply(file.status().strip() + " " + file.path() + ": " + reason.words()
                    + (file.preexisting() ? " (already changed before the job)" : ""));
            if (excerpt.length() > DetectionRules.EXCERPT_CHARS) {
                excerpt = excerpt.substring(0, DetectionRules.EXCERPT_CHARS) + "…";
            }
            alerts.add(new AuditAlertRaised(EventIds.derived(jobId, RULE_ID, file.path()), now,
                    AuditAlertRaised.SCHEMA_VERSION, jobId, agent, 0, RULE_ID,
                    "Workspace change to " + reason.words() + ": " + path, reason.severity(), excerpt, lineTime));
        }
        return alerts;
    }
}
