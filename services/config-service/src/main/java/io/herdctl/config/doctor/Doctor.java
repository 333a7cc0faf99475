package io.herdctl.config.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.config.fleet.TracedFleet;
import io.herdctl.events.AgentSpec;

/**
 * {@code herdctl doctor}: a loaded fleet held against the security guide's
 * deployment checklist and its Docker advice, from the files alone (no broker,
 * no engine, no running stack). What only the running system knows, such as
 * whether the runner sends traffic through the egress proxy, is said to be
 * unknown rather than guessed.
 */
public final class Doctor {

    private final SensitivePaths paths;
    private final DotEnvCheck dotEnv;
    private final SkillChecks skills;
    private final Path stateDir;

    /**
     * @param homes    home directories to treat as too broad for a working directory or volume (besides the
     *                 {@code /home/NAME}, {@code /Users/NAME} and {@code /root} shapes)
     * @param git      how git is asked about {@code .env}
     * @param stateDir where the stack keeps its state, or null for {@code ./herdctl up}'s default,
     *                 {@code .herdctl} in the fleet directory
     */
    Doctor(List<Path> homes, GitProbe git, Path stateDir) {
        this.paths = new SensitivePaths(homes);
        this.dotEnv = new DotEnvCheck(git);
        this.skills = new SkillChecks(homes.isEmpty() ? null : homes.get(0));
        this.stateDir = stateDir;
    }

    Doctor(List<Path> homes, GitProbe git) {
        this(homes, git, null);
    }

    /**
     * For this machine: its user's home directory, git from the PATH with a short deadline, and the state
     * directory {@code HERDCTL_STATE_DIR} names when it is an absolute path.
     */
    public static Doctor forThisMachine() {
        String state = System.getenv("HERDCTL_STATE_DIR");
        return new Doctor(List.of(Path.of(System.getProperty("user.home"))), new GitProbe("git", Duration.ofSeconds(3)),
                state != null && state.startsWith("/") ? Path.of(state) : null);
    }

    public DoctorReport examine(TracedFleet traced) {
        LoadedFleet fleet = traced.fleet();
        if (!fleet.accepted()) {
            return DoctorReport.notLoaded(fleet);
        }
        Path fleetDir = fleet.configFile().getParent();
        List<Path> configFiles = fleet.files().stream().filter(Files::isRegularFile)
                .filter(f -> !f.getFileName().toString().equals(DotEnvCheck.ENV_FILE)).toList();
        Findings out = new Findings();
        DashboardCheck.check(traced.origins(), out);
        dotEnv.check(fleetDir, out);
        List<AgentView> agents = new ArrayList<>();
        for (AgentSpec spec : fleet.agents()) {
            agents.add(new AgentView(spec, traced.origins()));
        }
        McpChecks.inherited(agents, out, traced.origins().fleetOrWhereToSet("defaults", "mcp_servers"));
        ContainerChecks container = new ContainerChecks(paths);
        WorkspaceChecks workspace = new WorkspaceChecks(paths);
        for (AgentView a : agents) {
            container.check(a, out);
            PermissionChecks.check(a, out);
            SecretChecks.check(a, out);
            workspace.check(a, fleetDir, configFiles, stateDir != null ? stateDir
                    : fleetDir.resolve(WorkspaceChecks.STATE_DIR), out);
            McpChecks.check(a, out);
            skills.check(a, fleetDir, out);
        }
        return DoctorReport.of(fleet, out.all());
    }
}
