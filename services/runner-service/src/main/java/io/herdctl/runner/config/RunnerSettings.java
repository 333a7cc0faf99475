package io.herdctl.runner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this runner runs jobs. */
@ConfigMapping(prefix = "herdctl.runner")
public interface RunnerSettings {

    /** This runner's name in status events and container labels (a random suffix is added per start); host name when unset. */
    Optional<String> id();

    /** Docker engine address. */
    @WithDefault("unix:///var/run/docker.sock")
    String dockerHost();

    /** Jobs this replica runs at once; more runners scale further. */
    @WithDefault("4")
    int maxParallelJobs();

    /** Process limit for containers whose agent sets no {@code pids_limit}. */
    @WithDefault("256")
    long defaultPidsLimit();

    /** Size of the writable /tmp and home tmpfs mounts of a job container. */
    @WithDefault("512m")
    String tmpfsSize();

    /**
     * The {@code uid:gid} jobs run as when the fleet sets no {@code docker.user}.
     * Unset: the runner's own uid:gid, or 1000:1000 when the runner is root.
     */
    Optional<String> defaultUser();

    /** An env file (the fleet's .env) for resolving ${VAR} in docker.env; the process environment wins. */
    Optional<Path> envFile();

    /** Extra label {@code io.herdctl.stack=<value>} on every container, so a launcher can find its own. */
    Optional<String> stackLabel();

    /**
     * How the paths this runner sees map to the Docker host's, for the bind mounts of job
     * containers (workspace, sessions, volumes): {@code auto} reads this runner's own bind
     * mounts from the engine when it runs in a container (the Compose deployment) and maps
     * nothing otherwise; {@code none} maps nothing; or {@code /path/in/runner=/path/on/host}
     * entries.
     */
    @WithDefault("auto")
    java.util.List<String> hostPaths();

    /** How long a container gets to stop after SIGTERM before it is killed, on shutdown. */
    @WithDefault("10s")
    Duration stopGracePeriod();

    /** How long a cancelled or timed-out job gets after SIGTERM before SIGKILL. */
    @WithDefault("1s")
    Duration cancelGracePeriod();

    /** On shutdown: how long running jobs may go on before they are cancelled. New jobs are not taken meanwhile. */
    @WithDefault("30s")
    Duration drainTimeout();

    /** How often this runner says it is alive, and what it holds. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** A runner not heard from for this long is lost: its jobs end as failed and its containers are removed. */
    @WithDefault("10s")
    Duration lostAfter();

    /** How far back job statuses and cancels are read at start, to recognise a job that already ran. */
    @WithDefault("24h")
    Duration statusLookback();

    /** Where the runner keeps each agent's Claude session directory (sessions/<agent>). */
    @WithDefault(".herdctl")
    Path stateDir();

    /** The Claude Code executable for host-process jobs ({@code docker.enabled: false}): a path or a name on PATH. */
    @WithDefault("claude")
    String claudeCommand();

    /**
     * Whether agents with {@code docker.enabled: false} may run as host processes
     * (the original's default). Off: such jobs fail with the reason.
     */
    @WithDefault("true")
    boolean hostProcesses();

    /** What each job changed in its working directory's git repository, recorded on its terminal status. */
    WorkspaceAudit workspaceAudit();

    /**
     * The workspace change audit: git status and a bounded diff after each job, against a
     * snapshot taken before it, read-only and with nothing of the repository's config run.
     */
    interface WorkspaceAudit {

        /** Off: terminal statuses carry no {@code workspace}. */
        @WithDefault("true")
        boolean enabled();

        /** The git program (a name on PATH, or a path); when it is missing, each record says so. */
        @WithDefault("git")
        String gitCommand();

        /** How long one git command may run before it is killed. */
        @WithDefault("10s")
        Duration commandTimeout();

        /** How long reading a job's changes may take in all; diffs past it are left out, with a note. */
        @WithDefault("30s")
        Duration budget();
    }

    /** Where job containers may send traffic; what the Compose deployment sets. Unset: Docker's defaults. */
    Egress egress();

    /**
     * Egress control for job containers. The network is what enforces it (an
     * {@code internal} network has no route out), the proxy variables are how
     * tools inside find the one way out; both are checked or set here, over
     * whatever the fleet asks for, because the spec arrives from a topic.
     */
    interface Egress {

        /**
         * The Docker network job containers join when their agent leaves {@code docker.network} unset or
         * {@code bridge}; {@code none} stays {@code none}, any other network is refused unless
         * {@link #allowAgentNetworks()}.
         */
        Optional<String> network();

        /** The proxy URL ({@code http://squid:3128}) job containers get as HTTP(S)_PROXY, over the agent's own. */
        Optional<String> proxy();

        /** Hosts besides localhost, 127.0.0.1 and ::1 that job containers reach without the proxy (NO_PROXY). */
        Optional<List<String>> noProxy();

        /** Lets agents pick another {@code docker.network} ({@code host}, a named network) past {@link #network()}. */
        @WithDefault("false")
        boolean allowAgentNetworks();
    }
}
