package io.herdctl.runner.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * Turns a path as this runner sees it into the same directory as the Docker engine
 * sees it. A runner in a container (the Compose deployment) reads the fleet at, say,
 * {@code /fleet}, but the engine that mounts a job's workspace resolves bind sources
 * on its host, where the fleet is at {@code /home/me/fleet}. Each mapping is one of
 * the runner's own bind mounts; a path under none of them is left as it is (an
 * absolute host path in {@code docker.volumes} means the host's).
 */
public final class HostPaths {

    /** One of the runner's bind mounts: {@code inside} in its container, {@code host} on the engine's host. */
    public record Mapping(String inside, String host) {
        public Mapping {
            inside = normalize(inside);
            host = normalize(host);
        }
    }

    private static final Logger LOG = Logger.getLogger(HostPaths.class);

    /** No translation: the runner and the engine share a filesystem. */
    public static final HostPaths IDENTITY = new HostPaths(List.of());

    private final List<Mapping> mappings;

    public HostPaths(List<Mapping> mappings) {
        List<Mapping> sorted = new ArrayList<>(mappings);
        // Longest inside path first, so /fleet/.herdctl wins over /fleet.
        sorted.sort(Comparator.comparingInt((Mapping m) -> m.inside().length()).reversed());
        this.mappings = List.copyOf(sorted);
    }

    /**
     * Mappings from {@code inside=host} entries ({@code herdctl.runner.host-paths}).
     *
     * @throws IllegalArgumentException naming the entry that is not two absolute paths
     */
    public static HostPaths parse(List<String> entries) {
        List<Mapping> mappings = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq < 0 || !e.startsWith("/") || eq + 1 >= e.length() || e.charAt(eq + 1) != '/') {
                throw new IllegalArgumentException("herdctl.runner.host-paths entry \"" + e + "\" is not "
                        + "/path/in/runner=/path/on/docker/host");
            }
            mappings.add(new Mapping(e.substring(0, eq), e.substring(eq + 1)));
        }
        return new HostPaths(mappings);
    }

    /**
     * The mappings {@code herdctl.runner.host-paths} asks for. {@code auto}: in a
     * container, this runner's own bind mounts (it is named by its host name there),
     * so a workspace under the mounted fleet is mounted from the engine's host;
     * outside one, paths are the host's already.
     */
    public static HostPaths resolve(List<String> setting, ContainerEngine engine) {
        if (setting.size() == 1 && setting.get(0).strip().equals("none")) {
            return IDENTITY;
        }
        if (!(setting.size() == 1 && setting.get(0).strip().equals("auto"))) {
            HostPaths explicit = parse(setting);
            LOG.infof("bind mount sources mapped to the Docker host: %s", explicit);
            return explicit;
        }
        if (!Files.exists(Path.of("/.dockerenv"))) {
            return IDENTITY;
        }
        String self = System.getenv().getOrDefault("HOSTNAME", "");
        HostPaths mounts = self.isBlank() ? IDENTITY : new HostPaths(engine.bindMounts(self));
        if (mounts.isIdentity()) {
            LOG.warnf("this runner runs in a container but found none of its own bind mounts (container %s); job "
                    + "workspaces are mounted by their paths here. Set herdctl.runner.host-paths if they differ on the "
                    + "Docker host", self);
        } else {
            LOG.infof("bind mount sources mapped to the Docker host: %s", mounts);
        }
        return mounts;
    }

    public List<Mapping> mappings() {
        return mappings;
    }

    public boolean isIdentity() {
        return mappings.isEmpty();
    }

    /** The engine's view of {@code path} (absolute); unchanged when no mapping covers it. */
    public String toHost(String path) {
        String p = normalize(path);
        for (Mapping m : mappings) {
            if (p.equals(m.inside())) {
                return m.host();
            }
            String prefix = m.inside().equals("/") ? "/" : m.inside() + "/";
            if (p.startsWith(prefix)) {
                String host = m.host().endsWith("/") ? m.host() : m.host() + "/";
                return host + p.substring(prefix.length());
            }
        }
        return p;
    }

    /**
     * The engine's view of {@code path} with symbolic links resolved first, so the
     * directory checked is the directory mounted: the longest part of the path that
     * exists here is resolved, the rest (which the engine creates) appended. A path
     * that exists only on the engine's host is mapped as given.
     *
     * @throws JobRejectedException when a component is a link this runner cannot
     *         follow: the engine would follow it on its host, to a directory nobody checked
     */
    public String toHostResolved(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        Path prefix = p.getRoot();
        Path existing = null;
        int existingNames = 0;
        for (int i = 0; i < p.getNameCount(); i++) {
            prefix = prefix.resolve(p.getName(i));
            if (Files.isSymbolicLink(prefix) && !Files.exists(prefix)) {
                throw new JobRejectedException("\"" + path + "\" goes through the link " + prefix + " -> "
                        + linkTarget(prefix) + ", which this runner cannot follow; the Docker engine would follow it "
                        + "on its host to a directory nobody checked. Name the real directory instead");
            }
            if (!Files.exists(prefix)) {
                break;
            }
            existing = prefix;
            existingNames = i + 1;
        }
        Path resolved = p;
        if (existing != null) {
            try {
                Path real = existing.toRealPath();
                resolved = existingNames < p.getNameCount() ? real.resolve(p.subpath(existingNames, p.getNameCount()))
                        : real;
            } catch (IOException e) {
                // Unreadable here: the engine resolves it on its host, as before.
            }
        }
        return toHost(resolved.toString());
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static String normalize(String path) {
        return Path.of(path).normalize().toString();
    }

    @Override
    public String toString() {
        return mappings.isEmpty() ? "none" : mappings.stream().map(m -> m.inside() + " -> " + m.host()).toList().toString();
    }
}
