package io.herdctl.runner.output;

import java.util.List;
import java.util.Map;

/**
 * One container line read as Claude Code stream-json: the herdctl job log
 * entries it becomes (usually one; an assistant message with text and tool
 * calls becomes several), and what it tells about the run.
 */
public record ParsedLine(List<Map<String, Object>> entries, String sessionId, RunResult result) {

    /** The final {@code result} message of a run. */
    public record RunResult(boolean isError, String subtype, String text, List<String> errors, Integer numTurns,
            Double totalCostUsd, Long inputTokens, Long outputTokens, Long cacheCreationInputTokens,
            Long cacheReadInputTokens, Map<String, Map<String, Object>> modelUsage) {
    }
}
