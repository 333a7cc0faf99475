package io.herdctl.config.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.DotEnv;
import io.herdctl.events.SecretReferences;

/**
 * Loads a fleet: the fleet file, its sub-fleets, every agent file they list,
 * and the {@code .env} beside the root fleet file. Each document is checked on
 * its own (positions intact), then agents are merged in herdctl's order (parent
 * fleet defaults, sub-fleet defaults, the parent's overrides for that sub-fleet,
 * the agent file, the fleet's per-agent overrides) and schema defaults are
 * applied last, so an agent's {@code docker: {enabled: true}} keeps the fleet's
 * memory. Any error rejects the whole revision.
 */
public final class FleetLoader {

    static final String ENV_FILE = ".env";

    /**
     * Strings that carry secrets in herdctl configurations. They are published as
     * written ({@code ${VAR}}) and resolved where they are used, at run time.
     */
    private static final Pattern DEFERRED = Pattern.compile("^(?:.*\\.)?(?:docker\\.env\\.[^.]+"
            + "|web\\.auth_token|mcp_servers\\.[^.]+\\.(?:env|headers)\\.[^.]+|hooks\\.(?:after_run|on_error)\\[\\d+]\\.headers\\.[^.]+)$");

    private final Map<String, String> systemEnv;
    private final boolean requireDirectories;

    public FleetLoader(Map<String, String> systemEnv) {
        this(systemEnv, true);
    }

    /**
     * @param requireDirectories whether working directories must exist; false for checking a fleet away from the
     *                           machine it runs on (an uploaded archive), where only their placement is checked
     */
    public FleetLoader(Map<String, String> systemEnv, boolean requireDirectories) {
        this.systemEnv = Map.copyOf(systemEnv);
        this.requireDirectories = requireDirectories;
    }

    /** Everything one load needs, shared by the fleet files it walks. */
    private static final class Load {
        final Path configDir;
        final Problems problems = new Problems();
        final Fields f = new Fields(problems);
        final Revision revision = new Revision();
        final Set<Path> files = new LinkedHashSet<>();
        final Map<Path, Optional<FleetSchema.FleetFile>> parsed = new HashMap<>();
        String webhookSecretEnv;
        final List<AgentSpec> agents = new ArrayList<>();
        final Map<String, String> definedIn = new HashMap<>();
        final List<Path> allowedRoots = new ArrayList<>();
        /** Each document parsed, as written and after substitution, for {@link FleetOrigins}. */
        final Map<Path, Document> documents = new HashMap<>();
        final Map<String, List<FleetOrigins.Layer>> origins = new LinkedHashMap<>();
        /** {@code security.allow_bypass_without_docker} of every fleet file walked, by qualified agent name. */
        final Map<String, Grant> bypassGrants = new LinkedHashMap<>();
        /** Qualified names of every agent file that named its agent, loaded or not. */
        final Set<String> agentNames = new LinkedHashSet<>();
        Interpolator interpolator;

        Load(Path configDir) {
            this.configDir = configDir;
        }

        String label(Path file) {
            return file.startsWith(configDir) ? configDir.relativize(file).toString() : file.toString();
        }

        /** The agent's fields in {@code file} under {@code prefix}; empty for a document that is empty. */
        Optional<FleetOrigins.Layer> layer(FleetOrigins.Kind kind, Path file, List<String> prefix) {
            return Optional.ofNullable(documents.get(file))
                    .map(d -> new FleetOrigins.Layer(kind, d.label(), d.raw(), d.resolved(), prefix));
        }
    }

    private record Document(String label, YamlTree.Node raw, YamlTree.Node resolved) {
    }

    /** A bypass allowance as written: where, and under which path of its file. */
    private record Grant(String qualifiedName, YamlTree.Pos pos, String path) {
    }

    /** {@code env} without the variables whose names say they hold secrets. */
    public static Map<String, String> withoutSecrets(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        env.forEach((k, v) -> {
            if (!SecretReferences.isSecretName(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Loads from a fleet file, or from a directory searched upwards for one. */
    public LoadedFleet load(Path location) {
        return loadWithOrigins(location).fleet();
    }

    /** As {@link #load(Path)}, with where each field was written (empty origins when the fleet has errors). */
    public TracedFleet loadWithOrigins(Path location) {
        Optional<Path> found = ConfigLocator.locate(location);
        if (found.isEmpty()) {
            Problems problems = new Problems();
            problems.error(location.toString(), "", ConfigLocator.notFoundMessage(location));
            return new TracedFleet(new LoadedFleet(null, "none", null, List.of(), problems.errors(), problems.warnings(),
                    List.of(location.toAbsolutePath())), FleetOrigins.NONE);
        }
        Path configFile = found.get().toAbsolutePath().normalize();
        Load load = new Load(configFile.getParent());
        load.interpolator = new Interpolator(environment(load), path -> DEFERRED.matcher(path).matches());
        load.allowedRoots.add(realOrSelf(load.configDir));

        Optional<FleetSchema.FleetFile> root = parseFleet(configFile, load);
        String fleetName = root.map(FleetSchema.FleetFile::name).orElse(null);
        if (fleetName == null) {
            fleetName = dirName(load.configDir);
        }
        root.map(FleetSchema.FleetFile::workingRoot).ifPresent(r -> load.allowedRoots.add(realOrSelf(
                load.configDir.resolve(r).normalize())));
        root.ifPresent(r -> load.webhookSecretEnv = r.webhookSecretEnv());
        root.ifPresent(r -> walk(configFile, r, List.of(), Map.of(), Map.of(), List.of(), null,
                new ArrayDeque<>(List.of(configFile)), load));

        checkGrants(load);

        List<Path> files = List.copyOf(load.files);
        if (load.problems.hasErrors()) {
            return new TracedFleet(new LoadedFleet(fleetName, load.revision.value(), configFile, List.of(),
                    load.problems.errors(), load.problems.warnings(), files), FleetOrigins.NONE);
        }
        return new TracedFleet(new LoadedFleet(fleetName, load.revision.value(), configFile, List.copyOf(load.agents),
                List.of(), load.problems.warnings(), files), new FleetOrigins(
                load.layer(FleetOrigins.Kind.FLEET, configFile, List.of()).orElse(null), load.origins));
    }

    /**
     * @param parentLayers  where {@code parentDefaults} were written, highest priority first
     * @param overrideLayer where {@code overrideDefaults} were written (the parent's {@code fleets[].overrides.defaults}),
     *                      or null
     */
    private void walk(Path file, FleetSchema.FleetFile fleet, List<String> fleetPath, Map<String, Object> parentDefaults,
            Map<String, Object> overrideDefaults, List<FleetOrigins.Layer> parentLayers, FleetOrigins.Layer overrideLayer,
            Deque<Path> stack, Load load) {
        Map<String, Object> defaults = DeepMerge.merge(DeepMerge.merge(parentDefaults, fleet.defaults()), overrideDefaults);
        List<FleetOrigins.Layer> layers = new ArrayList<>();
        if (overrideLayer != null) {
            layers.add(overrideLayer);
        }
        load.layer(FleetOrigins.Kind.DEFAULTS, file, List.of("defaults")).ifPresent(layers::add);
        layers.addAll(parentLayers);
        for (FleetSchema.BypassGrant grant : fleet.bypassGrants()) {
            String qualified = AgentSpecs.qualifiedName(grant.name(), fleetPath);
            load.bypassGrants.putIfAbsent(qualified, new Grant(qualified, grant.pos(),
                    Paths.index("security." + FleetSchema.ALLOW_BYPASS_WITHOUT_DOCKER, grant.index())));
        }
        Path dir = file.getParent();
        for (FleetSchema.AgentRef ref : fleet.agents()) {
            loadAgent(dir.resolve(ref.path()).toAbsolutePath().normalize(), file, ref, defaults, layers, fleetPath, load);
        }
        Map<String, String> namesHere = new HashMap<>();
        for (FleetSchema.FleetRef ref : fleet.fleets()) {
            Path target = dir.resolve(ref.path()).toAbsolutePath().normalize();
            Optional<Path> subFile = Files.isDirectory(target) ? ConfigLocator.inDirectory(target) : Optional.of(target);
            String where = Paths.index("fleets", ref.index()) + ".path";
            String parent = stripYaml(file.getFileName().toString());
            if (subFile.isEmpty() || !Files.isRegularFile(subFile.get())) {
                load.files.add(subFile.orElse(target));
                load.problems.error(ref.pos(), where, "Failed to load sub-fleet: file not found at " + target
                        + " (referenced from " + parent + ")");
                continue;
            }
            Path sub = subFile.get();
            if (stack.contains(sub)) {
                List<String> cycle = new ArrayList<>();
                stack.descendingIterator().forEachRemaining(p -> cycle.add(load.label(p)));
                cycle.add(load.label(sub));
                load.problems.error(ref.pos(), where, "Fleet composition cycle detected: " + String.join(" -> ", cycle));
                continue;
            }
            Optional<FleetSchema.FleetFile> subFleet = parseFleet(sub, load);
            if (subFleet.isEmpty()) {
                continue;
            }
            String name = ref.name() != null ? ref.name()
                    : subFleet.get().name() != null ? subFleet.get().name() : dirName(sub.getParent());
            if (!AgentSchema.NAME.matcher(name).matches()) {
                load.problems.error(ref.pos(), where, "Invalid fleet name \"" + name + "\" — fleet names must match "
                        + "pattern " + HerdctlBlocks.NAME_PATTERN + " (no dots allowed); set \"name\" on this fleets entry");
                continue;
            }
            String previous = namesHere.putIfAbsent(name, ref.path());
            if (previous != null) {
                load.problems.error(ref.pos(), where, "Fleet name collision at level \"" + parent + "\": two sub-fleets "
                        + "resolve to name \"" + name + "\". Conflicting references: " + previous + ", " + ref.path()
                        + ". Add explicit \"name\" overrides to disambiguate.");
                continue;
            }
            List<String> childPath = new ArrayList<>(fleetPath);
            childPath.add(name);
            stack.push(sub);
            walk(sub, subFleet.get(), childPath, defaults, ref.overrideDefaults(), layers,
                    load.layer(FleetOrigins.Kind.DEFAULTS, file, List.of("fleets", "[" + ref.index() + "]", "overrides",
                            "defaults")).orElse(null), stack, load);
            stack.pop();
        }
    }

    private Optional<FleetSchema.FleetFile> parseFleet(Path file, Load load) {
        return load.parsed.computeIfAbsent(file, path -> {
            String label = load.label(path);
            String text = read(path, label, load);
            if (text == null) {
                return Optional.empty();
            }
            int before = load.problems.errorCount();
            Optional<YamlTree.Node> root = YamlReader.read(label, text, load.problems);
            if (root.isEmpty()) {
                return load.problems.errorCount() == before ? Optional.of(FleetSchema.FleetFile.empty()) : Optional.empty();
            }
            YamlTree.Node resolved = load.interpolator.apply(root.get(), "", load.problems);
            load.documents.put(path, new Document(label, root.get(), resolved));
            return Optional.of(resolved)
                    .flatMap(r -> load.f.map(r, ""))
                    .map(r -> FleetSchema.check(r, load.f));
        });
    }

    /** @param defaultLayers where {@code defaults} were written, highest priority first */
    private void loadAgent(Path agentFile, Path fleetFile, FleetSchema.AgentRef ref, Map<String, Object> defaults,
            List<FleetOrigins.Layer> defaultLayers, List<String> fleetPath, Load load) {
        String label = load.label(agentFile);
        String text = readReferenced(agentFile, label, ref.pos(), Paths.index("agents", ref.index()) + ".path", load);
        if (text == null) {
            return;
        }
        int errorsBefore = load.problems.errorCount();
        YamlTree.Pos[] wdPos = {null};
        Optional<Map<String, Object>> own = YamlReader.read(label, text, load.problems)
                .map(root -> {
                    YamlTree.Node resolved = load.interpolator.apply(root, "", load.problems);
                    load.documents.put(agentFile, new Document(label, root, resolved));
                    return resolved;
                })
                .flatMap(root -> {
                    if (root instanceof YamlTree.MapNode m) {
                        YamlTree.Node wd = m.get("working_directory") != null ? m.get("working_directory") : m.get("workspace");
                        wdPos[0] = wd == null ? null : wd.pos();
                    }
                    if (!(root instanceof YamlTree.MapNode)) {
                        load.problems.error(root.pos(), "", "an agent file must be a mapping with at least a name");
                    }
                    return load.f.map(root, "");
                })
                .map(root -> AgentSchema.check(root, "", AgentSchema.Source.AGENT_FILE, load.f));
        if (own.isEmpty()) {
            if (load.problems.errorCount() == errorsBefore) {
                load.problems.error(label, "", "the agent file is empty; an agent needs at least a name");
            }
            return;
        }
        if (own.get().get("name") instanceof String named) {
            load.agentNames.add(AgentSpecs.qualifiedName(named, fleetPath));
        }
        if (load.problems.errorCount() > errorsBefore) {
            return;
        }
        Map<String, Object> merged = DeepMerge.merge(DeepMerge.merge(defaults, own.get()), ref.overrides());
        YamlTree.Pos where = wdPos[0] != null && !ref.overrides().containsKey("working_directory") ? wdPos[0]
                : ref.overrides().containsKey("working_directory") ? ref.pos() : new YamlTree.Pos(label, 1, 1);
        if (!workingDirectoryAllowed(merged.get("working_directory"), agentFile, where, load, requireDirectories)) {
            return;
        }
        String qualified = AgentSpecs.qualifiedName((String) merged.get("name"), fleetPath);
        AgentSpec spec = AgentSpecs.build(merged, agentFile, fleetPath, load.webhookSecretEnv,
                load.bypassGrants.containsKey(qualified));
        String previous = load.definedIn.putIfAbsent(spec.qualifiedName(), label);
        if (previous != null) {
            load.problems.error(ref.pos(), Paths.index("agents", ref.index()), "Duplicate agent qualified name found: \""
                    + spec.qualifiedName() + "\" (also defined in " + previous + "). Agent names must be unique within a fleet.");
            return;
        }
        List<FleetOrigins.Layer> layers = new ArrayList<>();
        load.layer(FleetOrigins.Kind.OVERRIDES, fleetFile, List.of("agents", "[" + ref.index() + "]", "overrides"))
                .ifPresent(layers::add);
        load.layer(FleetOrigins.Kind.AGENT_FILE, agentFile, List.of()).ifPresent(layers::add);
        layers.addAll(defaultLayers);
        if (spec.bypassesPermissionsWithoutDocker() && !spec.allowBypassWithoutDocker()) {
            refuseBypass(spec, new FleetOrigins(null, Map.of(spec.qualifiedName(), layers)), ref, load);
            return;
        }
        load.agents.add(spec);
        load.origins.put(spec.qualifiedName(), List.copyOf(layers));
    }

    /**
     * bypassPermissions skips every prompt, which the guide accepts only inside a
     * container; on the runner's host it is refused unless the fleet file says, for
     * this agent by name, that it takes the risk. The merged agent is checked, so a
     * mode or a Docker switch that arrives through defaults or overrides counts, and
     * the error names the line that set the mode.
     */
    private static void refuseBypass(AgentSpec spec, FleetOrigins origins, FleetSchema.AgentRef ref, Load load) {
        String name = spec.qualifiedName();
        Optional<FieldOrigin> mode = origins.agent(name, "permission_mode");
        Optional<FieldOrigin> docker = origins.agent(name, "docker", "enabled");
        String isolation = docker.map(d -> "docker.enabled is false (" + d.path() + " at " + d.location() + ")")
                .orElse("docker.enabled is not set, and it defaults to false");
        String message = "agent \"" + name + "\" has permission_mode: bypassPermissions without Docker isolation ("
                + isolation + "): every command it decides on would run on the runner's host, with the runner's access, "
                + "and nobody asked. Fix: set docker.enabled: true (in the agent file, or under defaults.docker), or use "
                + "a permission mode that asks (default, plan, or dontAsk with allowed_tools); to accept the risk for "
                + "this agent, list it in the fleet file: security: {" + FleetSchema.ALLOW_BYPASS_WITHOUT_DOCKER
                + ": [" + name + "]}";
        if (mode.isPresent()) {
            FieldOrigin m = mode.get();
            load.problems.error(new YamlTree.Pos(m.file(), m.line(), m.column()), m.path(), message);
        } else {
            load.problems.error(ref.pos(), Paths.index("agents", ref.index()), message);
        }
    }

    /**
     * An allowance that names no agent is a mistake; one for an agent that runs in
     * Docker or does not bypass permissions grants nothing today but would let a later
     * change through unchecked, so it is pointed out.
     */
    private static void checkGrants(Load load) {
        for (Grant grant : load.bypassGrants.values()) {
            if (!load.agentNames.contains(grant.qualifiedName())) {
                load.problems.error(grant.pos(), grant.path(), "\"" + grant.qualifiedName() + "\" names no agent of this "
                        + "fleet" + Fields.didYouMean(grant.qualifiedName(), load.agentNames) + " (agents: "
                        + String.join(", ", load.agentNames) + ")");
                continue;
            }
            load.agents.stream().filter(a -> a.qualifiedName().equals(grant.qualifiedName())
                    && !a.bypassesPermissionsWithoutDocker()).findFirst().ifPresent(a -> load.problems.warning(grant.pos(),
                    grant.path(), "agent \"" + a.qualifiedName() + "\" " + (a.docker().enabled() ? "runs in Docker"
                            : "does not use bypassPermissions") + ", so this allowance grants nothing now, but it would "
                            + "let a later switch to bypassPermissions without Docker through unchecked; remove it"));
        }
    }

    /**
     * A working directory is mounted into the agent's container, so it must be a
     * real directory inside the fleet's allowed roots (the fleet directory, and
     * the fleet file's {@code working_directory.root}), symlinks resolved.
     */
    private static boolean workingDirectoryAllowed(Object value, Path agentFile, YamlTree.Pos where, Load load,
            boolean mustExist) {
        Object root = value instanceof Map<?, ?> m ? m.get("root") : value;
        String written = root == null ? null : root.toString();
        if (written != null && (written.equals("~") || written.startsWith("~/"))) {
            load.problems.error(where, "working_directory", "\"" + written + "\": ~ is not expanded (as in herdctl) and "
                    + "a home directory is far too broad to mount into an agent's container; use a project directory");
            return false;
        }
        Path dir = written == null ? agentFile.getParent() : agentFile.getParent().resolve(written).normalize();
        if (mustExist && !Files.isDirectory(dir)) {
            load.problems.error(where, "working_directory", "working directory " + dir + " does not exist or is not a "
                    + "directory (create it; it is mounted into the agent's container)");
            return false;
        }
        Path real = realOrSelf(dir);
        if (real.getParent() == null) {
            load.problems.error(where, "working_directory", "working directory " + dir + " is the filesystem root; "
                    + "an agent must never see the whole machine");
            return false;
        }
        if (load.allowedRoots.stream().noneMatch(real::startsWith)) {
            load.problems.error(where, "working_directory", "working directory " + dir
                    + (real.equals(dir) ? "" : " (really " + real + ")") + " is outside the fleet's allowed roots "
                    + load.allowedRoots.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "; move it under them, or set working_directory.root in the fleet file");
            return false;
        }
        return true;
    }

    private Map<String, String> environment(Load load) {
        Map<String, String> env = new LinkedHashMap<>();
        Path envFile = load.configDir.resolve(ENV_FILE);
        load.files.add(envFile);
        if (Files.isRegularFile(envFile)) {
            String text = read(envFile, ENV_FILE, load);
            if (text != null) {
                env.putAll(DotEnv.parse(text));
            }
        }
        env.putAll(systemEnv);
        return env;
    }

    /** Reads a file named by a reference; a missing file is reported at the reference. */
    private static String readReferenced(Path file, String label, YamlTree.Pos ref, String refPath, Load load) {
        if (!Files.isRegularFile(file)) {
            load.files.add(file);
            load.problems.error(ref, refPath, "Failed to read file '" + file + "': "
                    + (Files.exists(file) ? "not a regular file" : "no such file"));
            return null;
        }
        return read(file, label, load);
    }

    private static String read(Path file, String label, Load load) {
        load.files.add(file);
        try {
            byte[] bytes = Files.readAllBytes(file);
            load.revision.add(label, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            load.problems.error(label, "", "Failed to read file '" + file + "': no such file");
        } catch (IOException e) {
            load.problems.error(label, "", "Failed to read file '" + file + "': " + e.getMessage());
        }
        return null;
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static String dirName(Path dir) {
        Path name = dir == null ? null : dir.getFileName();
        return name == null ? "fleet" : name.toString();
    }

    private static String stripYaml(String fileName) {
        return fileName.replaceFirst("\\.ya?ml$", "");
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
