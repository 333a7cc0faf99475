package io.herdctl.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.config.doctor.Doctor;
import io.herdctl.events.EventJson;

class DoctorCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Passes every check but the ones graded info at most. */
    private static final String GOOD = """
            name: a
            working_directory: ../workspace
            permission_mode: plan
            docker:
              enabled: true
              workspace_mode: ro
              memory: 1g
              cpu_shares: 512
              pids_limit: 50
            """;

    private int run(String... args) {
        out.reset();
        err.reset();
        return DoctorCli.run(args, Map.of(), Doctor.forThisMachine(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void fleet(String agent) throws IOException {
        fleet(agent, "");
    }

    private void fleet(String agent, String moreFleet) throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), "fleet: {name: doc}\nagents:\n  - path: agents/a.yaml\n" + moreFleet);
        Files.createDirectories(dir.resolve("agents"));
        Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(dir.resolve("agents/a.yaml"), agent);
    }

    @Test
    void exitCodesFollowTheWorstFinding() throws IOException {
        fleet(GOOD);
        assertEquals(0, run(dir.toString()), out());
        fleet(GOOD.replace("  cpu_shares: 512\n", ""));
        assertEquals(1, run(dir.toString()), out());
        fleet(GOOD.replace("memory: 1g", "memory: 64g"));
        assertEquals(1, run(dir.toString()), out());
        fleet(GOOD.replace("enabled: true", "enabled: false"));
        assertEquals(2, run(dir.toString()), out());
        String bypassOnHost = GOOD.replace("enabled: true", "enabled: false").replace("plan", "bypassPermissions");
        fleet(bypassOnHost);
        assertEquals(3, run(dir.resolve("herdctl.yaml").toString()), "refused unless the fleet allows it: " + out());
        fleet(bypassOnHost, "security:\n  allow_bypass_without_docker: [a]\n");
        assertEquals(2, run(dir.resolve("herdctl.yaml").toString()), out());
    }

    @Test
    void theTextReportGroupsByAgentWithLocationsAndFixes() throws IOException {
        fleet(GOOD.replace("  cpu_shares: 512\n", ""));
        run(dir.toString());
        String text = out();
        assertTrue(text.startsWith("Fleet doc: " + dir.resolve("herdctl.yaml")), text);
        assertTrue(text.contains("\nfleet\n"), text);
        assertTrue(text.contains("\nagent a\n  LOW       cpu-limit  agents/a.yaml:4  docker.cpu_shares\n"), text);
        assertTrue(text.contains("            fix: set docker.cpu_shares"), text);
        assertTrue(text.contains("  passed: docker-enabled, memory-limit, pids-limit"), text);
        assertTrue(text.strip().endsWith("worst: low (exit 1)"), text);
        assertTrue(text.indexOf("LOW       cpu-limit") < text.indexOf("INFO      docker-user"), "worst first");
    }

    @Test
    void jsonIsOneDocumentWithEveryFindingAndItsPlace() throws IOException {
        fleet(GOOD.replace("  cpu_shares: 512\n", ""));
        assertEquals(1, run("--json", dir.toString()));
        JsonNode report = EventJson.mapper().readTree(out());
        assertEquals(List.of("fleet", "config", "loaded", "worst", "exit_code", "counts", "errors", "warnings", "findings"),
                names(report));
        assertEquals("doc", report.get("fleet").asText());
        assertTrue(report.get("loaded").asBoolean());
        assertEquals("low", report.get("worst").asText());
        assertEquals(1, report.get("exit_code").asInt());
        assertEquals(List.of("ok", "info", "low", "medium", "high", "critical"), names(report.get("counts")));
        assertEquals(1, report.get("counts").get("low").asInt());
        JsonNode cpu = null;
        for (JsonNode f : report.get("findings")) {
            assertEquals(List.of("id", "severity", "agent", "file", "line", "column", "field", "message", "fix"), names(f));
            if (f.get("id").asText().equals("cpu-limit")) {
                cpu = f;
            }
        }
        assertEquals("low", cpu.get("severity").asText());
        assertEquals("a", cpu.get("agent").asText());
        assertEquals("agents/a.yaml", cpu.get("file").asText());
        assertEquals(4, cpu.get("line").asInt());
        assertEquals("docker.cpu_shares", cpu.get("field").asText());
        assertTrue(report.get("findings").findValuesAsText("severity").contains("ok"), "passed checks are listed");
        assertTrue(report.get("findings").findValues("agent").stream().anyMatch(JsonNode::isNull), "fleet-level ones");
    }

    @Test
    void aFleetThatDoesNotLoadExitsThreeWithItsErrors() throws IOException {
        fleet("name: a\ndocker:\n  network: host\n");
        assertEquals(3, run(dir.toString()));
        assertTrue(out().startsWith("Configuration is invalid: 1 error(s) in " + dir.resolve("herdctl.yaml")), out());
        assertTrue(out().contains("agents/a.yaml:3:3: docker.network:"), out());

        assertEquals(3, run("--json", dir.toString()));
        JsonNode report = EventJson.mapper().readTree(out());
        assertFalse(report.get("loaded").asBoolean());
        assertEquals(3, report.get("exit_code").asInt());
        assertEquals("docker.network", report.get("errors").get(0).get("path").asText());
        assertEquals(0, report.get("findings").size());

        assertEquals(3, run(dir.resolve("missing.yaml").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Configuration file not found"));
    }

    @Test
    void usageIsItsOwnExitCode() {
        assertEquals(DoctorCli.USAGE, run("--yaml"));
        assertEquals(DoctorCli.USAGE, run("a", "b"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: herdctl doctor [--json] [--files-only] [PATH]"));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
