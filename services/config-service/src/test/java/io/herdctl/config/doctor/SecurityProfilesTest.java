package io.herdctl.config.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.config.fleet.TracedFleet;
import io.herdctl.events.AgentSpec;

/**
 * The guide's security profiles as shipped in examples/: each loads cleanly, resolves to what the guide's
 * profile says, and doctor grades it as the guide does. Every finding above {@code ok} is listed, so a check
 * that starts or stops firing on a profile shows up here.
 */
class SecurityProfilesTest {

    private static final Path EXAMPLES = Path.of("../../examples");

    /** As on a machine set up for the profiles: the token trusted production passes through is in the environment. */
    private static final Map<String, String> ENVIRONMENT = Map.of("GITHUB_TOKEN", "ghp_setInTheEnvironment00000000000000");

    private static TracedFleet load(String profile) {
        TracedFleet traced = new FleetLoader(ENVIRONMENT).loadWithOrigins(EXAMPLES.resolve(profile));
        LoadedFleet fleet = traced.fleet();
        assertTrue(fleet.accepted(), () -> profile + ": " + fleet.errors());
        assertEquals(List.of(), fleet.warnings(), profile);
        assertEquals(1, fleet.agents().size());
        return traced;
    }

    private static DoctorReport examine(TracedFleet traced) {
        return new Doctor(List.of(), new GitProbe("git", Duration.ofSeconds(10))).examine(traced);
    }

    /** {@code id → severity} of every finding worse than ok (each profile has one agent). */
    private static Map<String, Severity> notOk(DoctorReport report) {
        Map<String, Severity> out = new TreeMap<>();
        report.findings().stream().filter(f -> f.severity() != Severity.OK).forEach(f -> out.put(f.id(), f.severity()));
        return out;
    }

    private static Finding finding(DoctorReport report, String id) {
        return report.findings().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void maximumSecurityHasNothingWorseThanInformation() {
        TracedFleet traced = load("profile-max-security");
        AgentSpec.DockerSpec d = traced.fleet().agents().get(0).docker();
        assertEquals("ro 1g 512 50 true bridge", d.workspaceMode() + " " + d.memory() + " " + d.cpuShares() + " "
                + d.pidsLimit() + " " + d.ephemeral() + " " + d.network());
        assertEquals("dontAsk", traced.fleet().agents().get(0).permissionMode());

        DoctorReport report = examine(traced);
        assertEquals(Map.of(
                "docker-user", Severity.INFO,          // the runner's non-root default, not pinned
                "network", Severity.INFO,              // bridge: whitelisted only if the runner uses the egress proxy
                "runner-hardening", Severity.INFO), notOk(report), report.findings()::toString);
        assertEquals(Severity.INFO, report.worst());
        assertEquals(0, report.exitCode());
    }

    @Test
    void trustedProductionTradesCleanContainersForSpeed() {
        TracedFleet traced = load("profile-trusted-production");
        AgentSpec spec = traced.fleet().agents().get(0);
        assertEquals("rw 2g false 5 bridge", spec.docker().workspaceMode() + " " + spec.docker().memory() + " "
                + spec.docker().ephemeral() + " " + spec.docker().maxContainers() + " " + spec.docker().network());
        assertEquals(Map.of("GITHUB_TOKEN", "${GITHUB_TOKEN}"), spec.docker().env(), "a reference, resolved by the runner");

        DoctorReport report = examine(traced);
        assertEquals(Map.of(
                "cpu-limit", Severity.LOW,
                "docker-user", Severity.INFO,
                "ephemeral", Severity.LOW,             // reused containers: the guide's trade for speed
                "network", Severity.INFO,
                "permission-mode", Severity.INFO,      // acceptEdits
                "pids-limit", Severity.INFO,
                "runner-hardening", Severity.INFO,
                "workspace-mode", Severity.INFO), notOk(report), report.findings()::toString);
        assertEquals(Severity.OK, finding(report, "secret-literal").severity(), "the token is a reference");
        assertEquals(1, report.exitCode());
    }

    @Test
    void developmentSharesTheHostNetworkThroughTheFleetFileOnly() {
        TracedFleet traced = load("profile-development");
        AgentSpec.DockerSpec d = traced.fleet().agents().get(0).docker();
        assertEquals("rw 4g false 10 host", d.workspaceMode() + " " + d.memory() + " " + d.ephemeral() + " "
                + d.maxContainers() + " " + d.network());

        DoctorReport report = examine(traced);
        assertEquals(Map.of(
                "cpu-limit", Severity.LOW,
                "docker-user", Severity.INFO,
                "ephemeral", Severity.LOW,
                "network", Severity.HIGH,              // host: no network isolation at all
                "permission-mode", Severity.INFO,
                "pids-limit", Severity.INFO,
                "runner-hardening", Severity.INFO,
                "workspace-mode", Severity.INFO), notOk(report), report.findings()::toString);
        Finding network = finding(report, "network");
        assertEquals("herdctl.yaml agents[0].overrides.docker.network", network.file() + " " + network.field());
        assertEquals(2, report.exitCode());
    }

    @Test
    void homelabRunsHourlyOnTheHostNetworkWithItsToolsHeldTight() {
        TracedFleet traced = load("profile-homelab");
        AgentSpec spec = traced.fleet().agents().get(0);
        AgentSpec.ScheduleSpec hourly = spec.schedules().get("hourly");
        assertEquals("interval 3600000", hourly.type() + " " + hourly.intervalMillis());
        assertEquals("rw 2g host", spec.docker().workspaceMode() + " " + spec.docker().memory() + " "
                + spec.docker().network());

        DoctorReport report = examine(traced);
        assertEquals(Map.of(
                "cpu-limit", Severity.LOW,
                "docker-user", Severity.INFO,
                "network", Severity.HIGH,              // host: required for SSH to the LAN
                "pids-limit", Severity.INFO,
                "runner-hardening", Severity.INFO,
                "workspace-mode", Severity.INFO), notOk(report), report.findings()::toString);
        assertEquals(Severity.OK, finding(report, "permission-mode").severity(), "dontAsk with allowed_tools");
        Finding network = finding(report, "network");
        assertEquals("herdctl.yaml agents[0].overrides.docker.network", network.file() + " " + network.field());
        assertEquals(2, report.exitCode());
    }
}
