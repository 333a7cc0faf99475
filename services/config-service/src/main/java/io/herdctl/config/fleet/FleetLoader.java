package io.herdctl.config.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;
import io.herdctl.events.DotEnv;

/**
 * Loads a fleet: the fleet file, every agent file it lists, and {@code .env}
 * beside the fleet file. Each document is checked on its own (positions intact),
 * then agents are merged in herdctl's order (fleet defaults, then the agent
 * file, then the fleet's per-agent overrides) and schema defaults are applied
 * last, so an agent's {@code docker: {enabled: true}} keeps the fleet's memory.
 */
public final class FleetLoader {

    static final String ENV_FILE = ".env";
    /** Strings under these paths are secrets in waiting: published as written, resolved by the runner. */
    private static final Pattern DEFERRED = Pattern.compile("^(?:defaults\\.|agents\\[\\d+]\\.overrides\\.)?docker\\.env\\..+$");

    private final Map<String, String> systemEnv;

    public FleetLoader(Map<String, String> systemEnv) {
        this.systemEnv = Map.copyOf(systemEnv);
    }

    /** Loads from a fleet file, or from a directory searched upwards for one. */
    public LoadedFleet load(Path location) {
        Problems problems = new Problems();
        Optional<Path> found = ConfigLocator.locate(location);
        if (found.isEmpty()) {
            problems.error(location.toString(), "", ConfigLocator.notFoundMessage(location));
            return rejected(null, "none", null, problems);
        }
        Path configFile = found.get().toAbsolutePath().normalize();
        Path configDir = configFile.getParent();
        Revision revision = new Revision();
        Fields f = new Fields(problems);

        Map<String, String> env = environment(configDir, revision, problems);
        Interpolator interpolator = new Interpolator(env, path -> DEFERRED.matcher(path).matches());

        String fleetText = read(configFile, configFile.getFileName().toString(), problems, revision);
        if (fleetText == null) {
            return rejected(null, revision.value(), configFile, problems);
        }
        String fleetLabel = configFile.getFileName().toString();
        FleetSchema.FleetFile fleet = YamlReader.read(fleetLabel, fleetText, problems)
                .map(root -> interpolator.apply(root, "", problems))
                .flatMap(root -> f.map(root, ""))
                .map(root -> FleetSchema.check(root, f))
                .orElse(new FleetSchema.FleetFile(null, Map.of(), List.of()));
        String fleetName = fleet.name() != null ? fleet.name() : dirName(configDir);

        List<AgentSpec> agents = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (FleetSchema.AgentRef ref : fleet.agents()) {
            Path agentFile = configDir.resolve(ref.path()).toAbsolutePath().normalize();
            String label = label(configDir, agentFile);
            String text = read(agentFile, label, problems, revision);
            if (text == null) {
                continue;
            }
            int errorsBefore = problems.errorCount();
            Optional<Map<String, Object>> own = YamlReader.read(label, text, problems)
                    .map(root -> interpolator.apply(root, "", problems))
                    .flatMap(root -> {
                        if (!(root instanceof YamlTree.MapNode)) {
                            problems.error(root.pos(), "", "an agent file must be a mapping with at least a name");
                        }
                        return f.map(root, "");
                    })
                    .map(root -> AgentSchema.check(root, "", AgentSchema.Source.AGENT_FILE, f));
            if (own.isEmpty()) {
                if (problems.errorCount() == errorsBefore) {
                    problems.error(label, "", "the agent file is empty; an agent needs at least a name");
                }
                continue;
            }
            if (problems.errorCount() > errorsBefore) {
                continue;
            }
            Map<String, Object> merged = DeepMerge.merge(DeepMerge.merge(fleet.defaults(), own.get()), ref.overrides());
            AgentSpec spec = AgentSpecs.build(merged, agentFile, List.of());
            if (!Files.isDirectory(Path.of(spec.workingDirectory()))) {
                problems.error(label, "working_directory", "working directory " + spec.workingDirectory()
                        + " does not exist or is not a directory (create it; it is mounted into the agent's container)");
                continue;
            }
            String previous = seen.putIfAbsent(spec.qualifiedName(), label);
            if (previous != null) {
                problems.error(ref.pos(), Paths.index("agents", ref.index()), "Duplicate agent qualified name found: \""
                        + spec.qualifiedName() + "\" (also defined in " + previous + "). Agent names must be unique within a fleet.");
                continue;
            }
            agents.add(spec);
        }
        if (problems.hasErrors()) {
            return rejected(fleetName, revision.value(), configFile, problems);
        }
        return new LoadedFleet(fleetName, revision.value(), configFile, List.copyOf(agents), List.of(), problems.warnings());
    }

    private Map<String, String> environment(Path configDir, Revision revision, Problems problems) {
        Map<String, String> env = new LinkedHashMap<>();
        Path envFile = configDir.resolve(ENV_FILE);
        if (Files.isRegularFile(envFile)) {
            String text = read(envFile, ENV_FILE, problems, revision);
            if (text != null) {
                env.putAll(DotEnv.parse(text));
            }
        }
        env.putAll(systemEnv);
        return env;
    }

    private static String read(Path file, String label, Problems problems, Revision revision) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            revision.add(label, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.error(label, "", "Failed to read file '" + file + "': no such file");
        } catch (IOException e) {
            problems.error(label, "", "Failed to read file '" + file + "': " + e.getMessage());
        }
        return null;
    }

    private static LoadedFleet rejected(String name, String revision, Path configFile, Problems problems) {
        List<ConfigProblem> errors = problems.errors();
        return new LoadedFleet(name, revision, configFile, List.of(), errors, problems.warnings());
    }

    private static String label(Path configDir, Path file) {
        return file.startsWith(configDir) ? configDir.relativize(file).toString() : file.toString();
    }

    private static String dirName(Path dir) {
        Path name = dir.getFileName();
        return name == null ? "fleet" : name.toString();
    }

    /** A content hash over every file read, so equal files give the equal revision. */
    private static final class Revision {
        private final MessageDigest digest;

        Revision() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(String label, byte[] content) {
            digest.update(label.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(content);
            digest.update((byte) 0);
        }

        String value() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest()).substring(0, 12);
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
