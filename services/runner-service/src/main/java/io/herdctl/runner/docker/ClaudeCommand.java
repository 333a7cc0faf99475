package io.herdctl.runner.docker;

import java.util.ArrayList;
import java.util.List;

import io.herdctl.events.AgentSpec;

/**
 * The argv that runs Claude Code the way a user does in print mode with
 * streamed JSON output. Passed as an exec array, never through a shell, so a
 * prompt with {@code $}, backticks or quotes arrives as written.
 */
final class ClaudeCommand {

    private ClaudeCommand() {
    }

    static List<String> of(AgentSpec agent, String prompt, String systemPrompt) {
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
        return List.copyOf(argv);
    }
}
