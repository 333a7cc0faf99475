package io.herdctl.config.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.herdctl.config.doctor.Doctor;
import io.herdctl.config.doctor.DoctorReport;
import io.herdctl.config.doctor.Finding;
import io.herdctl.config.doctor.LiveChecks;
import io.herdctl.config.doctor.Severity;
import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.TracedFleet;
import io.herdctl.events.AgentSpec;

/**
 * {@code ./herdctl doctor [--json] [PATH]}: the fleet held against the security
 * guide's checklist, from its files alone. Exit codes, so a script or CI can gate
 * on it: 0 nothing worse than info, 1 low or medium, 2 high or critical, 3 the
 * fleet does not load (its errors are printed as {@code config validate} prints
 * them), 64 usage.
 */
public final class DoctorCli {

    static final int USAGE = 64;
    private static final String FLEET = "fleet";
    private static final String LIVE = "live-";

    private DoctorCli() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        System.exit(run(args, env, Doctor.forThisMachine(), LiveChecks.fromEnvironment(env), System.out, System.err));
    }

    /** Without the live system: the fleet files only. */
    static int run(String[] args, Map<String, String> env, Doctor doctor, PrintStream out, PrintStream err) {
        return run(args, env, doctor, null, out, err);
    }

    /** @param live the running system's checks, or null (also with {@code --files-only}) for the files alone */
    static int run(String[] args, Map<String, String> env, Doctor doctor, LiveChecks live, PrintStream out,
            PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        boolean json = rest.remove("--json");
        boolean filesOnly = rest.remove("--files-only");
        if (rest.size() > 1 || rest.stream().anyMatch(a -> a.startsWith("-"))) {
            err.println("usage: herdctl doctor [--json] [--files-only] [PATH]\n"
                    + "PATH: a fleet directory or its herdctl.yaml (default: the current directory, searched upwards)\n"
                    + "exit: 0 nothing worse than info, 1 low or medium, 2 high or critical, 3 the fleet does not load");
            return USAGE;
        }
        TracedFleet traced = new FleetLoader(env).loadWithOrigins(Path.of(rest.isEmpty() ? "." : rest.pop()));
        DoctorReport report = doctor.examine(traced);
        if (live != null && !filesOnly && report.loaded()) {
            try {
                report = report.plus(live.examine());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (json) {
            try {
                out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else if (!report.loaded()) {
            notLoaded(report, traced, out, err);
        } else {
            text(report, traced.fleet().agents(), out);
        }
        return report.exitCode();
    }

    /** As {@code config validate} prints an invalid fleet, and nothing else: there is nothing to examine. */
    private static void notLoaded(DoctorReport report, TracedFleet traced, PrintStream out, PrintStream err) {
        if (traced.fleet().configFile() == null) {
            err.println("herdctl: " + report.errors().get(0).message());
            return;
        }
        out.println("Configuration is invalid: " + report.errors().size() + " error(s) in " + report.config());
        report.errors().forEach(e -> out.println("  " + e));
        report.warnings().forEach(w -> out.println("warning: " + w));
        out.println("The fleet does not load, so it was not examined (exit " + report.exitCode() + ").");
    }

    private static void text(DoctorReport report, List<AgentSpec> agents, PrintStream out) {
        out.println("Fleet " + report.fleet() + ": " + report.config());
        report.warnings().forEach(w -> out.println("warning: " + w));
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        groups.put(FLEET, new ArrayList<>());
        agents.forEach(a -> groups.put(a.qualifiedName(), new ArrayList<>()));
        report.findings().forEach(f -> groups.computeIfAbsent(f.id().startsWith(LIVE) ? LIVE : f.agent() == null ? FLEET
                : f.agent(), g -> new ArrayList<>()).add(f));
        groups.forEach((group, findings) -> {
            out.println();
            out.println(group.equals(FLEET) ? "fleet" : group.equals(LIVE) ? "live system" : "agent " + group);
            findings.stream().filter(f -> f.severity() != Severity.OK)
                    .sorted(Comparator.comparing(Finding::severity).reversed())
                    .forEach(f -> {
                        String where = String.join("  ", List.of(f.location(), Objects.requireNonNullElse(f.field(), "")))
                                .strip();
                        out.printf("  %-9s %s  %s%n", f.severity().wire().toUpperCase(java.util.Locale.ROOT), f.id(), where);
                        out.println("            " + f.message());
                        if (f.fix() != null) {
                            out.println("            fix: " + f.fix());
                        }
                    });
            // A check with a finding in this group did not pass here, even if another of its findings is ok.
            List<String> flagged = findings.stream().filter(f -> f.severity() != Severity.OK).map(Finding::id).toList();
            List<String> passed = findings.stream().filter(f -> f.severity() == Severity.OK).map(Finding::id)
                    .filter(id -> !flagged.contains(id)).distinct().toList();
            if (!passed.isEmpty()) {
                out.println("  passed: " + String.join(", ", passed));
            }
        });
        out.println();
        List<String> counts = new ArrayList<>();
        for (int i = Severity.values().length - 1; i > 0; i--) {
            Severity s = Severity.values()[i];
            int n = report.counts().getOrDefault(s.wire(), 0);
            if (n > 0) {
                counts.add(n + " " + s.wire());
            }
        }
        counts.add(report.counts().getOrDefault(Severity.OK.wire(), 0) + " passed");
        out.println(String.join(", ", counts) + "; worst: " + report.worst().wire() + " (exit " + report.exitCode() + ")");
    }
}
