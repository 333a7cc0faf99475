package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.Severity;
import io.herdctl.events.WorkspaceChanges;

class WorkspaceAlertsTest {

    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void namesWhatMakesAPathSensitive() {
        assertEquals(Severity.CRITICAL, WorkspaceAlerts.sensitive("fleet/agents/me.yaml", "fleet/agents/me.yaml").severity());
        assertEquals("an agent configuration file", WorkspaceAlerts.sensitive("agents/other.yml", null).words());
        assertEquals("fleet configuration", WorkspaceAlerts.sensitive("sub/herdctl.yaml", null).words());
        assertEquals("Claude Code settings, skills or hooks",
                WorkspaceAlerts.sensitive("pkg/.claude/skills/x/SKILL.md", null).words());
        assertEquals("a CI workflow", WorkspaceAlerts.sensitive(".github/workflows/release.yml", null).words());
        assertEquals("a CI pipeline", WorkspaceAlerts.sensitive(".gitlab-ci.yml", null).words());
        assertEquals("an environment file", WorkspaceAlerts.sensitive("api/.env.production", null).words());
        assertEquals("a git hook", WorkspaceAlerts.sensitive(".git/hooks/pre-commit", null).words());
        assertEquals(Severity.CRITICAL, WorkspaceAlerts.sensitive(".git/config", null).severity());
        assertEquals("git hooks kept in the repository", WorkspaceAlerts.sensitive(".husky/pre-push", null).words());
        assertNull(WorkspaceAlerts.sensitive("src/main/App.java", null));
        assertNull(WorkspaceAlerts.sensitive("docs/agents.md", null));
        assertNull(WorkspaceAlerts.sensitive(".github/CODEOWNERS", null));
    }

    @Test
    void oneAlertPerSensitiveFileWithAnIdThatDoesNotChange() {
        WorkspaceChanges c = new WorkspaceChanges(WorkspaceChanges.BASELINE_SNAPSHOT, null, null, null, List.of(
                new WorkspaceChanges.ChangedFile("README.md", " M", false, false, false, false),
                new WorkspaceChanges.ChangedFile(".claude/settings.json", "??", true, false, false, false)),
                0, "", false, List.of());

        List<AuditAlertRaised> first = WorkspaceAlerts.of("job-2026-11-29-wsp002", "coder", c, s -> s, T, T);
        List<AuditAlertRaised> again = WorkspaceAlerts.of("job-2026-11-29-wsp002", "coder", c, s -> s, T, T.plusSeconds(60));

        assertEquals(1, first.size());
        assertEquals(first.get(0).eventId(), again.get(0).eventId());
        assertEquals(0, first.get(0).seq());
        assertEquals("Workspace change to Claude Code settings, skills or hooks: .claude/settings.json",
                first.get(0).title());
        assertEquals("?? .claude/settings.json: Claude Code settings, skills or hooks (already changed before the job)",
                first.get(0).excerpt());
    }
}
