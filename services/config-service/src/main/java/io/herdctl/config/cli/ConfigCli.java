package io.herdctl.config.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.config.fleet.ValidationReport;
import io.herdctl.events.AgentSpec;

/**
 * {@code ./herdctl config validate|show [--json] [PATH]}: the fleet loader without
 * a broker. Exit codes: 0 valid, 1 invalid, 2 usage or I/O error.
 */
public final class ConfigCli {

    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    private static final String MASK = "****";

    private ConfigCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        String command = rest.isEmpty() ? "" : rest.pop();
        boolean json = rest.remove("--json");
        if (!command.equals("validate") && !command.equals("show") || rest.size() > 1
                || rest.stream().anyMatch(a -> a.startsWith("-"))) {
            err.println("usage: herdctl config validate [--json] [PATH]\n       herdctl config show [--json] [PATH]\n"
                    + "PATH: a fleet directory or its herdctl.yaml (default: the current directory, searched upwards)");
            return USAGE;
        }
        Path path = Path.of(rest.isEmpty() ? "." : rest.pop());
        LoadedFleet fleet = new FleetLoader(env).load(path);
        if (fleet.configFile() == null) {
            err.println("herdctl: " + fleet.errors().get(0).message());
            return USAGE;
        }
        return command.equals("validate") ? validate(fleet, json, out) : show(fleet, json, out, err);
    }

    private static int validate(LoadedFleet fleet, boolean json, PrintStream out) {
        List<String> agents = fleet.agents().stream().map(AgentSpec::qualifiedName).toList();
        if (json) {
            try {
                // Keys with no value (an error about a whole file has no line) stay in the report as null.
                out.println(new ObjectMapper().writeValueAsString(ValidationReport.of(fleet)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else if (fleet.accepted()) {
            out.println("Configuration is valid.");
            out.println("  fleet:  " + fleet.name());
            out.println("  config: " + fleet.configFile());
            out.println("  agents: " + (agents.isEmpty() ? "(none)" : String.join(", ", agents)));
            fleet.warnings().forEach(w -> out.println("warning: " + w));
        } else {
            out.println("Configuration is invalid: " + fleet.errors().size() + " error(s) in " + fleet.configFile());
            fleet.errors().forEach(e -> out.println("  " + e));
            fleet.warnings().forEach(w -> out.println("warning: " + w));
        }
        return fleet.accepted() ? VALID : INVALID;
    }

    private static int show(LoadedFleet fleet, boolean json, PrintStream out, PrintStream err) {
        if (!fleet.accepted()) {
            err.println("Configuration is invalid: " + fleet.errors().size() + " error(s); run `herdctl config validate`");
            fleet.errors().forEach(e -> err.println("  " + e));
            return INVALID;
        }
        ObjectMapper mapper = (json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)))
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> agents = new LinkedHashMap<>();
        for (AgentSpec a : fleet.agents()) {
            agents.put(a.qualifiedName(), masked(a));
        }
        try {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("fleet", fleet.name());
            doc.put("revision", fleet.revision());
            doc.put("agents", agents);
            out.println(mapper.writeValueAsString(mapper.convertValue(doc, Map.class)).stripTrailing());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            err.println("herdctl: cannot print the fleet: " + e.getOriginalMessage());
            return USAGE;
        }
        return VALID;
    }

    /** The spec as runners receive it, with any docker.env value that is not a ${VAR} reference masked. */
    static AgentSpec masked(AgentSpec a) {
        Map<String, String> env = new TreeMap<>();
        a.docker().env().forEach((k, v) -> env.put(k, v.matches("(\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\})+") ? v : MASK));
        AgentSpec.DockerSpec d = a.docker();
        AgentSpec.DockerSpec docker = new AgentSpec.DockerSpec(d.enabled(), d.ephemeral(), d.memory(), d.memoryBytes(),
                d.cpuShares(), d.cpuPeriod(), d.cpuQuota(), d.pidsLimit(), d.tmpfs(), d.labels(), d.maxContainers(),
                d.workspaceMode(), d.image(), d.network(), d.user(), d.volumes(), d.ports(), env, d.hostConfig());
        return new AgentSpec(a.qualifiedName(), a.name(), a.fleetPath(), a.description(), a.sourceFile(),
                a.workingDirectory(), a.defaultPrompt(), a.systemPrompt(), a.model(), a.maxTurns(), a.permissionMode(),
                a.schedules(), docker, a.maxConcurrent(), a.tools(), a.allowedTools(), a.deniedTools(),
                a.mcpServers(), a.timeout(), a.timeoutMillis(), a.sessionTimeoutMillis(), a.allowBypassWithoutDocker(),
                a.security());
    }

}
