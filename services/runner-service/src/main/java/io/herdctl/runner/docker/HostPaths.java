package io.herdctl.runner.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

    private static String normalize(String path) {
        return Path.of(path).normalize().toString();
    }

    @Override
    public String toString() {
        return mappings.isEmpty() ? "none" : mappings.stream().map(m -> m.inside() + " -> " + m.host()).toList().toString();
    }
}
