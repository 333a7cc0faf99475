package io.herdctl.events;

import java.util.Map;

/** Token usage and cost from Claude's final result message; herdctl's {@code usage} block. */
public record JobUsage(
        Long inputTokens,
        Long outputTokens,
        Long cacheCreationInputTokens,
        Long cacheReadInputTokens,
        Integer numTurns,
        Double totalCostUsd,
        Map<String, ModelUsage> perModel) {

    public JobUsage {
        perModel = perModel == null ? Map.of() : Map.copyOf(perModel);
    }

    public record ModelUsage(Long inputTokens, Long outputTokens, Long cacheCreationInputTokens,
            Long cacheReadInputTokens, Double costUsd) {
    }
}
