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
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.EventJson;

class ConfigCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ConfigCli.run(args, Map.of("GITHUB_TOKEN", "ghp_secret"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void fleet(String agent) throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), """
                fleet: {name: cli}
                defaults:
                  docker:
                    env: {GITHUB_TOKEN: "${GITHUB_TOKEN}", LITERAL: "not-a-reference"}
                agents:
                  - path: a.yaml
                """);
        Files.writeString(dir.resolve("a.yaml"), agent);
    }

    @Test
    void validateReportsValidFleetsAsJsonAndText() throws IOException {
        fleet("name: a\ndefault_prompt: hi\n");
        assertEquals(0, run("validate", "--json", dir.toString()));
        JsonNode report = EventJson.mapper().readTree(out());
        assertTrue(report.get("valid").asBoolean());
        assertEquals("a", report.get("agents").get(0).asText());
        assertEquals(0, report.get("errors").size());

        out.reset();
        assertEquals(0, run("validate", dir.resolve("herdctl.yaml").toString()));
        assertTrue(out().startsWith("Configuration is valid."), out());
    }

    @Test
    void validateExitsOneWithEveryErrorAndItsPosition() throws IOException {
        fleet("name: a\ndocker:\n  network: host\nmax_turns: zero\n");
        assertEquals(1, run("validate", "--json", dir.toString()));
        JsonNode report = EventJson.mapper().readTree(out());
        assertFalse(report.get("valid").asBoolean());
        JsonNode first = report.get("errors").get(0);
        assertEquals("a.yaml", first.get("file").asText());
        assertEquals(3, first.get("line").asInt());
        assertEquals(3, first.get("column").asInt());
        assertEquals("docker.network", first.get("path").asText());
        assertEquals(2, report.get("errors").size());
    }

    @Test
    void showPrintsWhatRunnersReceiveInSnakeCaseWithSecretsMasked() throws IOException {
        fleet("name: a\ndocker: {enabled: true, memory: 1g}\n");
        assertEquals(0, run("show", "--json", dir.toString()));
        JsonNode shown = EventJson.mapper().readTree(out());
        JsonNode a = shown.get("agents").get("a");
        assertEquals("a", a.get("qualified_name").asText());
        assertEquals(1L << 30, a.get("docker").get("memory_bytes").asLong());
        assertEquals("${GITHUB_TOKEN}", a.get("docker").get("env").get("GITHUB_TOKEN").asText());
        assertEquals("****", a.get("docker").get("env").get("LITERAL").asText());
        assertFalse(out().contains("ghp_secret"));

        out.reset();
        assertEquals(0, run("show", dir.toString()));
        assertTrue(out().contains("qualified_name: a"), out());
    }

    @Test
    void usageAndMissingFleetExitTwo() {
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("validate", "--yaml"));
        assertEquals(2, run("validate", dir.resolve("nope.yaml").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Configuration file not found"));
    }
}
