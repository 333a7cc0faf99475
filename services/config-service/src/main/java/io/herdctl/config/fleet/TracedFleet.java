package io.herdctl.config.fleet;

/**
 * A load together with where each field was written, for tools that point at the
 * line to change (the doctor). Kept apart from {@link LoadedFleet}, which the
 * service holds for each revision, so the parsed documents live only as long as
 * the tool that asked for them.
 */
public record TracedFleet(LoadedFleet fleet, FleetOrigins origins) {
}
