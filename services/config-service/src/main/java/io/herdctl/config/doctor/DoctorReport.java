package io.herdctl.config.doctor;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.events.ConfigProblem;

/**
 * What {@code herdctl doctor --json} prints: the fleet, whether it loaded, the
 * worst finding and the exit code it gives, counts per severity, the loader's
 * errors and warnings, and every finding (passed checks included, as {@code ok}).
 */
public record DoctorReport(String fleet, String config, boolean loaded, Severity worst, int exitCode,
        Map<String, Integer> counts, List<ConfigProblem> errors, List<ConfigProblem> warnings,
        List<Finding> findings) {

    /** The exit code of a fleet that does not load: apart from every grade of finding. */
    public static final int NOT_LOADED = 3;

    static DoctorReport of(LoadedFleet fleet, List<Finding> findings) {
        return graded(fleet.name(), path(fleet.configFile()), fleet.warnings(), findings);
    }

    /** This report with {@code more} findings (the live system's), counts, worst and exit code recomputed. */
    public DoctorReport plus(List<Finding> more) {
        if (!loaded || more.isEmpty()) {
            return this;
        }
        List<Finding> all = new java.util.ArrayList<>(findings);
        all.addAll(more);
        return graded(fleet, config, warnings, all);
    }

    /** This report kept to one agent's findings and the fleet-wide ones, counts, worst and exit code recomputed. */
    public DoctorReport forAgent(String agent) {
        if (!loaded) {
            return this;
        }
        return graded(fleet, config, warnings,
                findings.stream().filter(f -> f.agent() == null || f.agent().equals(agent)).toList());
    }

    private static DoctorReport graded(String fleet, String config, List<ConfigProblem> warnings,
            List<Finding> findings) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            counts.put(s.wire(), (int) findings.stream().filter(f -> f.severity() == s).count());
        }
        Severity worst = findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
        return new DoctorReport(fleet, config, true, worst, worst.exitCode(), counts, List.of(), warnings,
                List.copyOf(findings));
    }

    static DoctorReport notLoaded(LoadedFleet fleet) {
        return new DoctorReport(fleet.name(), path(fleet.configFile()), false, null, NOT_LOADED, Map.of(),
                fleet.errors(), fleet.warnings(), List.of());
    }

    private static String path(Path file) {
        return file == null ? null : file.toString();
    }
}
