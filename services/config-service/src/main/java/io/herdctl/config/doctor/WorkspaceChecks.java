package io.herdctl.config.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.herdctl.config.fleet.FieldOrigin;

/**
 * What the agent's working directory exposes. The loader already refuses
 * {@code ~}, the filesystem root and anything outside the fleet's allowed roots;
 * what it accepts can still be a home directory (when {@code working_directory.root}
 * allows one) or the fleet's own directory. The last is the quiet one: an agent
 * whose working directory holds its configuration can rewrite it (turn its Docker
 * isolation off, add {@code network: host}) and config-service applies the change
 * on the next reload; one whose working directory holds {@code .env} can read
 * every credential of the fleet.
 */
final class WorkspaceChecks {

    static final String WORKING_DIRECTORY = "working-directory";
    static final String WORKSPACE_CONFIG = "workspace-config";
    static final String WORKSPACE_SECRETS = "workspace-secrets";
    static final String WORKSPACE_STATE = "workspace-state";
    /** Where {@code ./herdctl up} keeps the audit trail, alerts, broker data and sessions unless told otherwise. */
    static final String STATE_DIR = ".herdctl";

    private static final String MOVE = "give the agent a directory of its own that holds no configuration, such as "
            + "working_directory: ../workspace next to agents/ (as the examples do)";

    private final SensitivePaths paths;

    WorkspaceChecks(SensitivePaths paths) {
        this.paths = paths;
    }

    /**
     * @param configFiles every fleet file the load read (fleet files, agent files), {@code .env} excluded
     * @param stateDir    where the stack keeps its state
     */
    void check(AgentView a, Path fleetDir, List<Path> configFiles, Path stateDir, Findings out) {
        Path dir = real(Path.of(a.spec().workingDirectory()));
        FieldOrigin where = a.at("working_directory");
        String broad = paths.tooBroad(dir);
        if (broad != null) {
            out.agent(WORKING_DIRECTORY, Severity.HIGH, a, where, "the working directory " + dir + " is " + broad
                    + ": everything in it (keys, credentials, history, other projects) is mounted into the agent's "
                    + "container", "point working_directory at a project directory of the agent's own");
        } else {
            out.agent(WORKING_DIRECTORY, Severity.OK, a, where, "works in " + dir, null);
        }

        List<String> inside = configFiles.stream().filter(f -> real(f).startsWith(dir))
                .map(f -> label(fleetDir, f)).sorted().toList();
        boolean writable = !a.inDocker() || !"ro".equals(a.docker().workspaceMode());
        if (inside.isEmpty()) {
            out.agent(WORKSPACE_CONFIG, Severity.OK, a, where, "no fleet configuration inside the working directory",
                    null);
        } else if (writable) {
            out.agent(WORKSPACE_CONFIG, Severity.HIGH, a, where, "the working directory " + dir + " holds the fleet's "
                    + "configuration (" + shortList(inside) + ") and the agent can write there: it can rewrite its own "
                    + "settings (docker.enabled, permission_mode, or network: host in the fleet file), and "
                    + "config-service applies them on the next reload", MOVE);
        } else {
            out.agent(WORKSPACE_CONFIG, Severity.INFO, a, where, "the working directory " + dir + " holds the fleet's "
                    + "configuration (" + shortList(inside) + "), read-only: the agent can read it but not change it",
                    MOVE);
        }

        Path env = fleetDir.resolve(DotEnvCheck.ENV_FILE);
        if (Files.isRegularFile(env) && real(env).startsWith(dir)) {
            out.agent(WORKSPACE_SECRETS, Severity.HIGH, a, where, "the fleet's .env lies inside the working directory "
                    + dir + ": the agent can read every credential in it, not only those its docker.env passes", MOVE
                    + "; or keep the variables in the environment instead of a .env there");
        } else {
            out.agent(WORKSPACE_SECRETS, Severity.OK, a, where, "the working directory holds no .env of the fleet",
                    null);
        }
        checkState(a, stateDir, dir, where, out);
    }

    /**
     * The state directory in or around the working directory. The runner refuses such
     * a Docker job before it starts; a host process would simply have it.
     */
    private static void checkState(AgentView a, Path stateDir, Path dir, FieldOrigin where, Findings out) {
        Path parent = stateDir.toAbsolutePath().normalize().getParent();
        Path state = parent == null ? real(stateDir) : real(real(parent).resolve(stateDir.getFileName()));
        if (!(state.startsWith(dir) || dir.startsWith(state))) {
            out.agent(WORKSPACE_STATE, Severity.OK, a, where, "herdctl's state (" + state + ") is outside the "
                    + "working directory", null);
            return;
        }
        String relation = dir.startsWith(state) ? "lies inside" : "holds";
        out.agent(WORKSPACE_STATE, Severity.HIGH, a, where, "the working directory " + dir + " " + relation
                + " herdctl's state directory " + state + " (the audit trail, alerts, broker data and sessions): "
                + (a.inDocker() ? "while the stack keeps its state there, the runner refuses every job of this agent "
                        + "before a container starts"
                        : "the agent runs on the host and can read and rewrite the record of its own jobs"),
                MOVE + "; or keep the state elsewhere (./herdctl up --state-dir, HERDCTL_STATE_DIR)");
    }

    private static String shortList(List<String> files) {
        return files.size() <= 3 ? String.join(", ", files)
                : files.stream().limit(3).collect(Collectors.joining(", ")) + " and " + (files.size() - 3) + " more";
    }

    private static String label(Path fleetDir, Path file) {
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(fleetDir) ? fleetDir.relativize(f).toString() : f.toString();
    }

    private static Path real(Path path) {
        return SensitivePaths.real(path);
    }
}
