package io.herdctl.runner.runtime;

import java.util.ArrayList;
import java.util.List;

import io.herdctl.events.AgentSpec;

/**
 * The argv that runs Claude Code the way a user does in print mode with
 * streamed JSON output. Passed as an exec array, never through a shell, so a
 * prompt with {@code $}, backticks or quotes arrives as written.
 */
public final class ClaudeCommand {

    private ClaudeCommand() {
    }

    /**
     * @param prompt       the prompt, secrets resolved
     * @param systemPrompt the system prompt, secrets resolved, or null
     * @param mcpConfig    {@code {"mcpServers":{...}}} with secrets resolved, or null when the agent has none
     * @param resume       the session to continue, or null for a fresh one
     */
    public static List<String> of(AgentSpec agent, String prompt, String systemPrompt, String mcpConfig, String resume) {
        List<String> argv = new ArrayList<>(List.of("claude", "-p", prompt, "--output-format", "stream-json",
                "--verbose", "--permission-mode", agent.permissionMode() == null ? "acceptEdits" : agent.permissionMode()));
        if (agent.model() != null) {
            argv.addAll(List.of("--model", agent.model()));
        }
        if (agent.maxTurns() != null) {
            argv.addAll(List.of("--max-turns", Integer.toString(agent.maxTurns())));
        }
        if (systemPrompt != null) {
            argv.addAll(List.of("--system-prompt", systemPrompt));
        }
        if (!agent.allowedTools().isEmpty()) {
            argv.addAll(List.of("--allowedTools", String.join(",", agent.allowedTools())));
        }
        if (!agent.deniedTools().isEmpty()) {
            argv.addAll(List.of("--disallowedTools", String.join(",", agent.deniedTools())));
        }
        if (agent.tools() != null) {
            argv.addAll(List.of("--tools", String.join(",", agent.tools())));
        }
        if (mcpConfig != null) {
            argv.addAll(List.of("--mcp-config", mcpConfig));
        }
        if (resume != null) {
            argv.addAll(List.of("--resume", resume));
        }
        return List.copyOf(argv);
    }
}
