package io.herdctl.runner.docker;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps herdctl's own state out of job containers. The state directory holds the
 * audit trail, the alerts, the broker's data and every agent's sessions; a job
 * whose workspace (or a {@code docker.volumes} source) is that directory, lies
 * inside it, or contains it could read other jobs' records or, with a writable
 * mount, rewrite the trail that is meant to hold it to account. The default layout
 * puts {@code .herdctl/} in the fleet directory, so {@code working_directory: .}
 * would do exactly that.
 *
 * <p>Paths are compared as the Docker engine sees them (after {@link HostPaths}),
 * with symbolic links resolved where the runner can see the path, so a link to
 * the fleet root or a Compose runner that sees the fleet at {@code /fleet} is
 * caught as well. The per-agent session directory the runner mounts itself is
 * not a bind source checked here.
 */
public final class StateGuard {

    /** Guards nothing: for planners that are not given a state directory (unit tests of other rules). */
    public static final StateGuard NONE = new StateGuard(List.of());

    private final List<Path> protectedOnHost;

    private StateGuard(List<Path> protectedOnHost) {
        this.protectedOnHost = List.copyOf(protectedOnHost);
    }

    /**
     * The runner's state directory and its sessions directory as the engine sees
     * them. A runner in a container may mount only {@code sessions} from the host's
     * state directory, so that mount's parent on the host is protected too.
     */
    public static StateGuard of(Path stateDir, HostPaths hostPaths) {
        Set<Path> guarded = new LinkedHashSet<>();
        guarded.add(onHost(stateDir, hostPaths));
        Path sessionsOnHost = onHost(stateDir.resolve("sessions"), hostPaths);
        // The state directory before its sessions directory, so a message names the directory the operator set.
        if (sessionsOnHost.getParent() != null) {
            guarded.add(sessionsOnHost.getParent());
        }
        guarded.add(sessionsOnHost);
        return new StateGuard(List.copyOf(guarded));
    }

    private static Path onHost(Path dir, HostPaths hostPaths) {
        try {
            return Path.of(hostPaths.toHostResolved(dir.toString()));
        } catch (JobRejectedException e) {
            // A state directory behind a broken link: guard the path as written; the runner fails on it soon enough.
            return Path.of(hostPaths.toHost(dir.toAbsolutePath().normalize().toString()));
        }
    }

    /** The protected directories as the engine sees them. */
    public List<Path> protectedPaths() {
        return protectedOnHost;
    }

    /**
     * Why a bind source must not be mounted into a job container, or null when it may be.
     *
     * @param what       names the setting in the message, such as {@code working directory}
     * @param runnerPath the source as configured, for the message
     * @param hostSource the source as the engine will mount it ({@link HostPaths#toHostResolved})
     */
    public String refusal(String what, String runnerPath, String hostSource) {
        Path source = Path.of(hostSource);
        for (Path guarded : protectedOnHost) {
            if (source.equals(guarded) || guarded.startsWith(source) || source.startsWith(guarded)) {
                String relation = source.equals(guarded) ? "is" : guarded.startsWith(source) ? "contains" : "is inside";
                return what + " \"" + runnerPath + "\" " + relation + " herdctl's state directory (" + guarded
                        + " on the Docker host: the audit trail, alerts, broker data and sessions); a job container "
                        + "must not see it. Point it at a directory that does not hold .herdctl, or move the state "
                        + "elsewhere (--state-dir, HERDCTL_STATE_DIR)";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return protectedOnHost.toString();
    }
}
