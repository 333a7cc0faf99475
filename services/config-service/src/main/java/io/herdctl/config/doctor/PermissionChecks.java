package io.herdctl.config.doctor;

import io.herdctl.config.fleet.FieldOrigin;

/**
 * Claude Code's permission mode, graded as the guide does (bypassPermissions only
 * in Docker), and the checklist's "ask or allowlist". Under bypassPermissions
 * {@code allowed_tools} restricts nothing: it pre-approves, and everything is
 * already approved. What limits such an agent is {@code tools}, the set of tools
 * that exist for it; so that is the allowlist this check asks for.
 */
final class PermissionChecks {

    static final String PERMISSION_MODE = "permission-mode";
    static final String TOOL_ALLOWLIST = "tool-allowlist";

    private PermissionChecks() {
    }

    static void check(AgentView a, Findings out) {
        FieldOrigin where = a.at("permission_mode");
        String mode = a.spec().permissionMode();
        String unset = where.value() == null ? " (herdctl's default when permission_mode is not set)" : "";
        switch (mode) {
            case AgentView.BYPASS -> {
                if (a.inDocker()) {
                    out.agent(PERMISSION_MODE, Severity.INFO, a, where, "bypassPermissions: every action runs without "
                            + "asking; the guide accepts this only inside Docker, which this agent has", null);
                } else {
                    // The loader refuses this unless the fleet file allows it by name; allowed is not safe.
                    out.agent(PERMISSION_MODE, Severity.CRITICAL, a, where, "bypassPermissions without Docker: every "
                            + "command runs on the runner's host without anyone being asked"
                            + (a.spec().allowBypassWithoutDocker() ? " (allowed for this agent by the fleet file's "
                                    + "security.allow_bypass_without_docker, which accepts the risk but does not "
                                    + "lessen it)" : ""),
                            "set docker.enabled: true, or use a mode that asks (default) or refuses what is not "
                                    + "allowed (dontAsk with allowed_tools); then remove the agent from "
                                    + "security.allow_bypass_without_docker");
                }
                allowlist(a, out);
            }
            case "acceptEdits" -> out.agent(PERMISSION_MODE, Severity.INFO, a, where, "acceptEdits" + unset + ": file "
                    + "edits are accepted without asking; other actions still need an approval that an unattended job "
                    + "cannot give", "for an agent that only reads, use permission_mode: plan");
            case "dontAsk" -> {
                if (a.spec().allowedTools().isEmpty()) {
                    out.agent(PERMISSION_MODE, Severity.INFO, a, where, "dontAsk refuses every tool that is not "
                            + "pre-approved, and allowed_tools is empty: the agent can do very little",
                            "list the tools it needs in allowed_tools");
                } else {
                    out.agent(PERMISSION_MODE, Severity.OK, a, where, "dontAsk: only the allowed_tools run", null);
                }
            }
            case "delegate" -> out.agent(PERMISSION_MODE, Severity.INFO, a, where, "delegate: the guide does not grade "
                    + "it; what runs depends on the agents it delegates to", "check their permission modes as well");
            case "plan" -> out.agent(PERMISSION_MODE, Severity.OK, a, where, "plan: the agent plans and changes nothing",
                    null);
            default -> out.agent(PERMISSION_MODE, Severity.OK, a, where, mode + ": the agent asks before acting, so an "
                    + "unattended job is refused anything that needs approval", null);
        }
    }

    private static void allowlist(AgentView a, Findings out) {
        if (a.spec().tools() != null) {
            out.agent(TOOL_ALLOWLIST, Severity.OK, a, a.at("tools"), "only the tools listed in tools exist for it: "
                    + String.join(", ", a.spec().tools()), null);
            return;
        }
        boolean allowed = !a.spec().allowedTools().isEmpty();
        out.agent(TOOL_ALLOWLIST, Severity.MEDIUM, a, allowed ? a.at("allowed_tools") : a.at("permission_mode"),
                "bypassPermissions and nothing limits which tools run; the checklist asks for 'ask' or an allowlist"
                        + (allowed ? " (allowed_tools only pre-approves tools, which bypassPermissions already does, "
                                + "so it restricts nothing)" : ""),
                "list the tools the agent needs in tools (e.g. tools: [Read, Grep, Glob, Edit]), or use "
                        + "permission_mode: dontAsk with allowed_tools, which refuses whatever is not listed");
    }
}
