package io.herdctl.audit.domain;

import java.util.Map;
import java.util.Optional;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventIds;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.Severity;
import io.herdctl.events.skills.RedFlag;

/**
 * The {@code skill-red-flag} and {@code mcp-red-flag} alerts: the runner's scan,
 * right before the job, found a red flag in a skill or an MCP server the agent
 * can load, and reported it as a line of the job's output (type {@code system},
 * subtype {@value RedFlag#SUBTYPE}, the flag under {@value RedFlag#ENTRY_KEY}).
 * Not rules of the rules file: a replaced rules file must not lose them, and the
 * flag carries its own severity. Raised, stored and published like the rules'
 * alerts, at the line's sequence number.
 *
 * <p>Such a line is judged by the flag it reports and by no rule: it quotes a
 * file the agent could load, not something the agent did, and a quoted
 * {@code --dangerously-skip-permissions} must not become "Claude Code run with
 * --dangerously-skip-permissions". A job cannot forge one: the runner's parser of
 * container output builds every entry from a fixed set of keys, none of them
 * {@value RedFlag#ENTRY_KEY}.
 */
public final class SkillScanAlerts {

    public static final String SKILL_RULE_ID = "skill-red-flag";
    public static final String MCP_RULE_ID = "mcp-red-flag";

    private SkillScanAlerts() {
    }

    /** The alert a line raises if it is a red flag of the runner's scan; {@code line} already masked. */
    public static Optional<AuditAlertRaised> of(JobOutputEmitted line) {
        Optional<RedFlag> found = RedFlag.fromEntry(line.entry());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RedFlag f = found.get();
        boolean mcp = RedFlag.MCP.equals(f.source());
        String rule = mcp ? MCP_RULE_ID : SKILL_RULE_ID;
        boolean refused = line.entry().get(RedFlag.ENTRY_KEY) instanceof Map<?, ?> m && "block".equals(m.get("mode"))
                && f.severity().compareTo(Severity.HIGH) >= 0;
        String title = (mcp ? "Red flag in an MCP server the agent can load: " : "Red flag in a skill the agent can load: ")
                + f.kind() + (refused ? " (job refused)" : "");
        return Optional.of(new AuditAlertRaised(EventIds.derived(line.jobId(), Long.toString(line.seq()), rule),
                java.time.Instant.now(), AuditAlertRaised.SCHEMA_VERSION, line.jobId(), line.agent(), line.seq(), rule,
                title, f.severity(), excerpt(f), line.time()));
    }

    /** Where, the snippet, and what it means; cut to the excerpt length. */
    static String excerpt(RedFlag f) {
        String s = f.location() + ": " + (f.snippet() == null ? "" : f.snippet() + " — ")
                + (f.message() == null ? "" : f.message());
        return s.length() <= DetectionRules.EXCERPT_CHARS ? s : s.substring(0, DetectionRules.EXCERPT_CHARS) + "…";
    }
}
