package io.herdctl.config.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.ValidationReport;
import io.herdctl.config.upload.FleetArchive;
import io.smallrye.common.annotation.Blocking;

/**
 * Checks a fleet that is not on this machine: a fleet directory as a zip or
 * (gzip) tar, or a single fleet or agent file. Nothing is published. The upload's
 * {@code ${VAR}} references are resolved from this service's environment without
 * its secret-looking variables, so no answer can echo a secret.
 */
@jakarta.ws.rs.Path("/api/config/validate")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ValidateResource {

    /** Keys only a fleet file has (docker and working_directory appear in both). */
    private static final Set<String> FLEET_KEYS = Set.of("version", "fleet", "defaults", "agents", "fleets", "web",
            "webhooks");

    @POST
    @Consumes({"application/zip", "application/x-tar", "application/gzip", "application/x-gzip",
            "application/octet-stream"})
    public Response archive(byte[] body) {
        try (FleetArchive archive = FleetArchive.unpack(body)) {
            Path dir = archive.dir();
            try (var top = Files.list(dir)) {
                // An archive of a directory holds that directory: look inside it when it is the only entry.
                var entries = top.toList();
                if (entries.size() == 1 && Files.isDirectory(entries.get(0))) {
                    dir = entries.get(0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return answer(dir);
        } catch (FleetArchive.BadArchiveException e) {
            return Response.status(400).entity(Map.of("error", Map.of("code", "BAD_ARCHIVE", "message", e.getMessage())))
                    .build();
        }
    }

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    public Response yaml(String body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("herdctl-validate-");
            if (looksLikeAgent(body)) {
                Files.writeString(dir.resolve("agent.yaml"), body, StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("herdctl.yaml"), "agents:\n  - path: agent.yaml\n");
            } else {
                Files.writeString(dir.resolve("herdctl.yaml"), body, StandardCharsets.UTF_8);
            }
            return answer(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temp dir left behind is harmless
                }
            }
        }
    }

    private static Response answer(Path dir) {
        ValidationReport report = ValidationReport.of(
                new FleetLoader(FleetLoader.withoutSecrets(System.getenv()), false).load(dir));
        return Response.status(report.valid() ? 200 : 422).entity(report).build();
    }

    /** A single agent file has a name and none of the keys only a fleet file has. */
    private static boolean looksLikeAgent(String body) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            Object doc = new Yaml(options).load(body);
            return doc instanceof Map<?, ?> m && m.containsKey("name") && m.keySet().stream().noneMatch(FLEET_KEYS::contains);
        } catch (RuntimeException e) {
            return false; // the loader reports the syntax error with its position
        }
    }
}
